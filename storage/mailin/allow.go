package mailin

import (
	"fmt"
	"net/netip"
	"strings"
)

// DefaultAllow is the allow-list when none is configured: loopback only,
// so that a listener put on a public address by mistake takes mail from
// nobody but the machine itself.
func DefaultAllow() []netip.Prefix {
	return []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
}

// ParseAllow parses PPP_MAIL_ALLOW: comma-separated networks in CIDR
// notation ("10.20.0.0/16") or single addresses ("10.20.30.40", "::1").
// An empty string gives DefaultAllow. It returns an error naming the
// first entry that is neither.
func ParseAllow(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("%q is not a network (CIDR) or an address", f)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("%q is not a network (CIDR) or an address", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	if len(out) == 0 {
		return DefaultAllow(), nil
	}
	return out, nil
}
