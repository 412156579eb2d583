package passhash

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

// cheap is a small parameter set, so that tests of reading parameters
// from the string do not each spend 64 MiB.
var cheap = params{memory: 64, time: 1, threads: 1}

// cheapHash hashes password under p with a fixed salt.
func cheapHash(p params, password string, keyLen uint32) string {
	salt := []byte("0123456789abcdef")
	return encode(p, salt, argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, keyLen))
}

func TestHash_WritesArgon2idPHCStringWithCurrentParameters(t *testing.T) {
	h, err := Hash("Zaļš-Kalns7")
	if err != nil {
		t.Fatal(err)
	}
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=65536,t=3,p=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !phc.MatchString(h) {
		t.Errorf("Hash = %q, want a PHC string with a 16-byte salt and 32-byte key", h)
	}
	if NeedsRehash(h) {
		t.Errorf("NeedsRehash(fresh hash) = true")
	}
}

func TestHash_SamePasswordTwice_DifferentSalts(t *testing.T) {
	a, errA := Hash("Zaļš-Kalns7")
	b, errB := Hash("Zaļš-Kalns7")
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if a == b {
		t.Errorf("two hashes of one password are equal: %q", a)
	}
}

func TestVerify_RightAndWrongPassword(t *testing.T) {
	h, err := Hash("Zaļš-Kalns7")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := Verify("Zaļš-Kalns7", h); !ok || err != nil {
		t.Errorf("Verify(right password) = %v, %v; want true, nil", ok, err)
	}
	for _, wrong := range []string{"zaļš-kalns7", "Zaļš-Kalns", "Zals-Kalns7", ""} {
		if ok, err := Verify(wrong, h); ok || err != nil {
			t.Errorf("Verify(%q) = %v, %v; want false, nil", wrong, ok, err)
		}
	}
}

func TestVerify_ReadsParametersFromTheString(t *testing.T) {
	for _, p := range []params{cheap, {memory: 256, time: 2, threads: 4}} {
		for _, keyLen := range []uint32{16, 32, 64} {
			h := cheapHash(p, "Abcdefg1!", keyLen)
			if ok, err := Verify("Abcdefg1!", h); !ok || err != nil {
				t.Errorf("Verify against %q = %v, %v; want true, nil", h, ok, err)
			}
			if ok, _ := Verify("Abcdefg1?", h); ok {
				t.Errorf("Verify(wrong password) against %q = true", h)
			}
			if !NeedsRehash(h) {
				t.Errorf("NeedsRehash(%q) = false, want true for old parameters", h)
			}
		}
	}
}

func TestVerify_TamperedHashOrSalt_DoesNotMatch(t *testing.T) {
	h := cheapHash(cheap, "Abcdefg1!", 32)
	fields := strings.Split(h, "$")
	flip := func(s string) string {
		if s[0] == 'A' {
			return "B" + s[1:]
		}
		return "A" + s[1:]
	}
	for _, tampered := range []string{
		strings.Join(append(fields[:4:4], flip(fields[4]), fields[5]), "$"),
		strings.Join(append(fields[:5:5], flip(fields[5])), "$"),
		strings.Replace(h, "t=1", "t=2", 1),
	} {
		if ok, err := Verify("Abcdefg1!", tampered); ok || err != nil {
			t.Errorf("Verify against tampered %q = %v, %v; want false, nil", tampered, ok, err)
		}
	}
}

func TestVerify_MalformedStrings_Error(t *testing.T) {
	good := cheapHash(cheap, "x", 32)
	salt, key := strings.Split(good, "$")[4], strings.Split(good, "$")[5]
	tail := "$" + salt + "$" + key
	tests := []struct {
		name, encoded string
		want          error
	}{
		{"empty", "", ErrMalformed},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", ErrMalformed},
		{"argon2i", "$argon2i$v=19$m=64,t=1,p=1" + tail, ErrMalformed},
		{"no leading dollar", "argon2id$v=19$m=64,t=1,p=1" + tail, ErrMalformed},
		{"extra field", good + "$", ErrMalformed},
		{"no version", "$argon2id$m=64,t=1,p=1" + tail, ErrMalformed},
		{"version 16", "$argon2id$v=16$m=64,t=1,p=1" + tail, ErrUnsupported},
		{"parameters reordered", "$argon2id$v=19$t=1,m=64,p=1" + tail, ErrMalformed},
		{"parameter missing", "$argon2id$v=19$m=64,t=1" + tail, ErrMalformed},
		{"parameter extra", "$argon2id$v=19$m=64,t=1,p=1,k=2" + tail, ErrMalformed},
		{"negative", "$argon2id$v=19$m=-64,t=1,p=1" + tail, ErrMalformed},
		{"plus sign", "$argon2id$v=19$m=+64,t=1,p=1" + tail, ErrMalformed},
		{"leading zero", "$argon2id$v=19$m=064,t=1,p=1" + tail, ErrMalformed},
		{"overflow", "$argon2id$v=19$m=99999999999999999999,t=1,p=1" + tail, ErrMalformed},
		{"padded salt", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key, ErrMalformed},
		{"salt not base64", "$argon2id$v=19$m=64,t=1,p=1$!!!!!!!!!!!!$" + key, ErrMalformed},
		{"line break in hash", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key[:10] + "\r\n" + key[10:], ErrMalformed},
		{"hash not base64", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$?", ErrMalformed},
		{"short salt", "$argon2id$v=19$m=64,t=1,p=1$AAAA$" + key, ErrUnsupported},
		{"empty hash", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$", ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := Verify("x", tt.encoded)
			if ok || !errors.Is(err, tt.want) {
				t.Errorf("Verify(%q) = %v, %v; want false, %v", tt.encoded, ok, err, tt.want)
			}
			if !NeedsRehash(tt.encoded) {
				t.Errorf("NeedsRehash(%q) = false, want true", tt.encoded)
			}
		})
	}
}

func TestVerify_AbsurdParameters_RefusedWithoutHashing(t *testing.T) {
	tail := strings.SplitN(cheapHash(cheap, "x", 32), "$", 5)[4]
	for _, costs := range []string{
		"m=2097153,t=1,p=1", // over 2 GiB
		"m=4294967295,t=1,p=1",
		"m=64,t=21,p=1",  // too many passes
		"m=64,t=0,p=1",   // no pass at all
		"m=256,t=1,p=17", // too many lanes
		"m=64,t=1,p=0",
		"m=15,t=1,p=2", // under 8 KiB per lane
	} {
		encoded := "$argon2id$v=19$" + costs + "$" + tail
		ok, err := Verify("x", encoded)
		if ok || !errors.Is(err, ErrUnsupported) {
			t.Errorf("Verify(%q) = %v, %v; want false, ErrUnsupported", encoded, ok, err)
		}
	}
}

func TestDummyVerify_DoesTheWorkOfAVerifyWithCurrentParameters(t *testing.T) {
	// DummyVerify hides whether an account exists only if it costs what a
	// real Verify costs: a readable hash with the current parameters.
	h := dummyHash()
	if NeedsRehash(h) {
		t.Fatalf("dummy hash %q does not use the current parameters", h)
	}
	if ok, err := Verify("", h); ok || err != nil {
		t.Errorf("Verify(\"\", dummy hash) = %v, %v; want false, nil", ok, err)
	}
	DummyVerify()
}

func FuzzDecode(f *testing.F) {
	f.Add(cheapHash(cheap, "x", 32))
	f.Add("$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")
	f.Add("")
	f.Fuzz(func(t *testing.T, encoded string) {
		p, salt, key, err := decode(encoded)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("decode(%q) error %v is neither ErrMalformed nor ErrUnsupported", encoded, err)
			}
			return
		}
		if p.memory > maxMemoryKiB || p.time > maxIterations || p.threads > maxParallelism ||
			p.time < 1 || p.threads < 1 || p.memory < 8*uint32(p.threads) {
			t.Fatalf("decode(%q) accepted parameters %+v", encoded, p)
		}
		if again := encode(p, salt, key); again != encoded {
			t.Fatalf("decode(%q) then encode gives %q", encoded, again)
		}
	})
}

// BenchmarkHash is one Argon2id hash at the production parameters (64
// MiB): the CPU a password sign-in costs; README's sizing quotes it.
func BenchmarkHash(b *testing.B) {
	defer RealCostForTests()()
	for b.Loop() {
		if _, err := Hash("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}
