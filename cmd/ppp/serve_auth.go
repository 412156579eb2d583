package main

import (
	"bufio"
	"log/slog"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/viaa/ppp/domain/passhash"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/tui/server"
)

// signInDefences reads the settings of the defences before sign-in (issue
// 13) into the server's configuration and the AuthService's policy, and
// sets how many password hashes the process runs at once:
//
//	PPP_HASH_CONCURRENCY          hashes at once (default: passhash.DefaultConcurrency
//	                              of the memory available and GOMAXPROCS)
//	PPP_SSH_MAX_UNAUTH            connections not yet authenticated, in total
//	PPP_SSH_MAX_UNAUTH_PER_ADDR   … per source address
//	PPP_SSH_TRUSTED_PROXIES       addresses or CIDR ranges exempt from the
//	                              per-address caps and throttles (a bastion,
//	                              a load balancer), comma-separated
//
// It returns a usage error naming the setting that is not valid.
func (m *Main) signInDefences(cfg *server.Config, auth *storage.AuthService, logger *slog.Logger) error {
	counts := []struct {
		name string
		set  *int
		max  int
	}{
		{"PPP_SSH_MAX_UNAUTH", &cfg.MaxUnauth, 100000},
		{"PPP_SSH_MAX_UNAUTH_PER_ADDR", &cfg.MaxUnauthPerAddr, 100000},
	}
	hashes := passhash.DefaultConcurrency(availableMemory(), runtime.GOMAXPROCS(0))
	counts = append(counts, struct {
		name string
		set  *int
		max  int
	}{"PPP_HASH_CONCURRENCY", &hashes, 256})
	for _, v := range counts {
		s := strings.TrimSpace(m.Env(v.name))
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > v.max {
			return usageError{m.cat.T("cli.serve.bad_count", v.name, s, v.max)}
		}
		*v.set = n
	}
	if s := strings.TrimSpace(m.Env("PPP_SSH_TRUSTED_PROXIES")); s != "" {
		for _, part := range strings.Split(s, ",") {
			part = strings.TrimSpace(part)
			pfx, err := netip.ParsePrefix(part)
			if err != nil {
				addr, aerr := netip.ParseAddr(part)
				if aerr != nil {
					return usageError{m.cat.T("cli.serve.bad_proxies", "PPP_SSH_TRUSTED_PROXIES", part)}
				}
				pfx = netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen())
			}
			cfg.TrustedProxies = append(cfg.TrustedProxies, pfx.Masked())
		}
		auth.Policy.TrustedProxies = cfg.TrustedProxies
	}
	passhash.SetConcurrency(hashes)
	logger.Info("sign-in defences", "hash_concurrency", hashes, "max_unauth", cfg.MaxUnauth,
		"max_unauth_per_address", cfg.MaxUnauthPerAddr, "trusted_proxy_ranges", len(cfg.TrustedProxies))
	return nil
}

// availableMemory returns the memory the process may still use, in bytes:
// the smaller of the system's available memory and what the cgroup's limit
// leaves; 0 when neither can be read.
func availableMemory() uint64 {
	var avail uint64
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
				if f := strings.Fields(rest); len(f) > 0 {
					if kb, err := strconv.ParseUint(f[0], 10, 64); err == nil {
						avail = kb * 1024
					}
				}
				break
			}
		}
		f.Close()
	}
	limit, lerr := readUint("/sys/fs/cgroup/memory.max")
	used, uerr := readUint("/sys/fs/cgroup/memory.current")
	if lerr == nil && uerr == nil && limit > used {
		if left := limit - used; avail == 0 || left < avail {
			avail = left
		}
	}
	return avail
}

// readUint reads a file holding one unsigned number ("max" is an error).
func readUint(path string) (uint64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
}
