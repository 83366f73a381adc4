package crawler

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"path"
	"slices"
	"strings"
	"syscall"
)

// attachmentExtensions are file types the crawler never fetches: only HTML
// pages, feeds and sitemaps are of use to it.
var attachmentExtensions = map[string]bool{}

func init() {
	for _, ext := range strings.Fields(`
		pdf doc docx xls xlsx ppt pptx odt ods odp rtf epub mobi csv
		zip gz tgz bz2 xz tar rar 7z exe msi dmg iso apk deb rpm bin
		jpg jpeg png gif webp svg bmp ico tif tiff avif heic
		mp3 mp4 m4a m4v ogg oga ogv opus webm wav avi mov mkv flac wmv flv
		css js mjs json map woff woff2 ttf otf eot`) {
		attachmentExtensions[ext] = true
	}
}

// isAttachmentPath reports whether a URL path names a file type the crawler
// does not parse. Gzipped sitemaps are the exception.
func isAttachmentPath(p string) bool {
	lower := strings.ToLower(p)
	if strings.HasSuffix(lower, ".xml.gz") {
		return false
	}
	ext := strings.TrimPrefix(path.Ext(lower), ".")
	return ext != "" && attachmentExtensions[ext]
}

type contentKind int

const (
	kindOther contentKind = iota
	kindHTML
	kindXML // feeds and sitemaps
)

// classifyContentType tells what the crawler does with a response of media
// type ct served for urlPath. An absent type is sniffed from the body later.
func classifyContentType(ct, urlPath string) contentKind {
	mt, _, _ := strings.Cut(strings.ToLower(ct), ";")
	mt = strings.TrimSpace(mt)
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml":
		return kindHTML
	case mt == "application/xml" || mt == "text/xml" ||
		mt == "application/rss+xml" || mt == "application/atom+xml" ||
		mt == "application/rdf+xml" || mt == "application/feed+xml":
		return kindXML
	case (mt == "application/gzip" || mt == "application/x-gzip") &&
		strings.HasSuffix(strings.ToLower(urlPath), ".xml.gz"):
		return kindXML
	}
	return kindOther
}

// isFeedPath reports whether p is a WordPress-style feed address
// ("/feed/", "/category/x/feed/", "/2022/11/07/slug/feed/atom/").
func isFeedPath(p string) bool {
	p = strings.TrimSuffix(p, "/")
	for _, suffix := range []string{"/feed", "/feed/rss", "/feed/rss2", "/feed/atom", "/feed/rdf"} {
		if strings.HasSuffix(p, suffix) {
			return true
		}
	}
	return false
}

var errBlockedAddress = errors.New("address is loopback, private or link-local")

// dialPolicy decides, when dialling, which addresses a run may connect to.
// It sees both the host:port a request names and the address it resolved
// to, so neither DNS nor a redirect can get around it:
//   - a public address is always dialled;
//   - a loopback, private or otherwise non-public address is dialled when
//     Options.AllowPrivate says so, or for the host:port of a start URL
//     that names it (a local site): that start URL's own host:port only,
//     not the rest of the run;
//   - a link-local or cloud-metadata address (169.254.0.0/16, fe80::/10,
//     fd00:ec2::254) only for the host:port of a start URL naming it,
//     AllowPrivate or not: nothing a site links or redirects to reaches it.
type dialPolicy struct {
	allowPrivate bool
	exempt       map[string]bool // host:port of start URLs on non-public hosts
}

// newDialPolicy builds the policy of a run from its seeds, canonical URLs.
func newDialPolicy(allowPrivate bool, seeds []*url.URL) *dialPolicy {
	p := &dialPolicy{allowPrivate: allowPrivate, exempt: map[string]bool{}}
	for _, u := range seeds {
		if isNonPublicHost(u.Hostname()) {
			p.exempt[hostPortOf(u)] = true
		}
	}
	return p
}

// hostPortOf is the host:port a request for u dials, as the transport
// names it.
func hostPortOf(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// check tells whether a request for requested (host:port, as in the URL)
// may connect to resolved (the ip:port about to be dialled).
func (p *dialPolicy) check(network, requested, resolved string) error {
	host, _, err := net.SplitHostPort(resolved)
	if err != nil {
		return fmt.Errorf("dial %s: %w", resolved, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("dial %s: %w", resolved, err)
	}
	if isPublic(ip) {
		return nil
	}
	named := false
	if h, port, err := net.SplitHostPort(requested); err == nil {
		named = p.exempt[net.JoinHostPort(strings.ToLower(h), port)]
	}
	if named || (p.allowPrivate && !isLinkLocalOrMetadata(ip)) {
		return nil
	}
	return fmt.Errorf("dial %s %s (%s): %w", network, resolved, requested, errBlockedAddress)
}

// dialContext dials through d, checking each address the name resolves
// to before connecting.
func (p *dialPolicy) dialContext(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		dd := *d
		dd.Control = func(network, resolved string, _ syscall.RawConn) error {
			return p.check(network, addr, resolved)
		}
		return dd.DialContext(ctx, network, addr)
	}
}

// metadataAddrs are cloud metadata services outside the link-local range.
var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("fd00:ec2::254"),   // AWS, IPv6
	netip.MustParseAddr("100.100.100.200"), // Alibaba Cloud
}

func isLinkLocalOrMetadata(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || slices.Contains(metadataAddrs, ip)
}

var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

func isPublic(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsValid() && !ip.IsLoopback() && !ip.IsPrivate() && !ip.IsLinkLocalUnicast() &&
		!ip.IsLinkLocalMulticast() && !ip.IsInterfaceLocalMulticast() && !ip.IsUnspecified() &&
		!ip.IsMulticast() && !sharedAddressSpace.Contains(ip)
}

// isNonPublicHost reports whether a URL's host names a non-public address
// by itself: an IP literal of such an address, or localhost.
func isNonPublicHost(hostname string) bool {
	hostname = strings.Trim(strings.ToLower(hostname), "[]")
	if hostname == "localhost" || strings.HasSuffix(hostname, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(hostname)
	return err == nil && !isPublic(ip)
}
