package crawler

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"path"
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

// dialGuard refuses connections to loopback, private, link-local and other
// non-public addresses. It runs after name resolution, on the address about
// to be dialled, so neither DNS nor a redirect can get around it.
func dialGuard(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, err)
	}
	if !isPublic(ip) {
		return fmt.Errorf("dial %s %s: %w", network, address, errBlockedAddress)
	}
	return nil
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
