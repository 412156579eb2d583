package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// secretSettings are the settings that may carry a secret (a password in
// a URL). Each may be given instead as NAME_FILE: the path of a file
// holding the value, as systemd's LoadCredential, Docker and Kubernetes
// secrets hand them over, so that the secret is in no environment a
// process listing or a crash report shows. The audit key, the TLS keys
// and the host key are files already (PPP_AUDIT_KEY_FILE, …).
var secretSettings = []string{"PPP_DATABASE_URL", "PPP_DATABASE_OWNER_URL", "PPP_SMTP_URL"}

// maxSecretFile bounds what is read of a secret file: a URL, not a dump.
const maxSecretFile = 64 << 10

// resolveSecretFiles makes m.Env answer each secret setting whose _FILE
// form is set with that file's content (one trailing newline removed), so
// every verb reads settings one way whichever form was used. It returns a
// usage error when both forms are set, and an error naming the setting
// when the file cannot be read, is empty, or may be read or written by
// users other than its owner and group.
func (m *Main) resolveSecretFiles() error {
	env := m.Env
	if env == nil {
		return nil
	}
	values := map[string]string{}
	for _, name := range secretSettings {
		fileVar := name + "_FILE"
		path := env(fileVar)
		if path == "" {
			continue
		}
		if env(name) != "" {
			return usageError{m.cat.T("cli.secret.both", name, fileVar)}
		}
		v, err := m.readSecretFile(fileVar, path)
		if err != nil {
			return err
		}
		values[name] = v
	}
	if len(values) == 0 {
		return nil
	}
	m.Env = func(key string) string {
		if v, ok := values[key]; ok {
			return v
		}
		return env(key)
	}
	return nil
}

// readSecretFile returns the content of the file at path, named by
// setting, without one trailing newline (LF or CRLF). A file others may
// read or write is refused rather than warned about: a warning in a
// journal nobody reads leaves the password readable by every account of
// the machine.
func (m *Main) readSecretFile(setting, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", usageError{m.cat.T("cli.secret.unreadable", setting, path, pathError(err))}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", usageError{m.cat.T("cli.secret.unreadable", setting, path, pathError(err))}
	}
	if !st.Mode().IsRegular() {
		return "", usageError{m.cat.T("cli.secret.not_file", setting, path)}
	}
	if perm := st.Mode().Perm(); perm&0o007 != 0 {
		return "", usageError{m.cat.T("cli.secret.others", setting, path, fmt.Sprintf("%04o", perm))}
	}
	b, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	if err != nil {
		return "", usageError{m.cat.T("cli.secret.unreadable", setting, path, pathError(err))}
	}
	if len(b) > maxSecretFile {
		return "", usageError{m.cat.T("cli.secret.too_long", setting, path)}
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if s == "" {
		return "", usageError{m.cat.T("cli.secret.empty", setting, path)}
	}
	return s, nil
}

// pathError is err without the path *fs.PathError repeats.
func pathError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
