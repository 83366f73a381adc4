package crawler

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"path"
	"slices"
	"strings"

	"golang.org/x/net/idna"
)

// defaultTrackingParams are the query parameters that only tell a site where
// a visitor came from. An entry ending in "*" is a prefix.
var defaultTrackingParams = []string{
	"utm_*", "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid",
	"mc_cid", "mc_eid", "yclid", "igshid", "mkt_tok", "_ga", "_gl",
	"_hsenc", "_hsmi", "vero_id", "oly_anon_id", "oly_enc_id", "rb_clickid",
	"wt_mc", "at_medium", "at_campaign", "xtor",
}

// DefaultTrackingParams returns the tracking parameters Canonicalize drops
// unless told otherwise; Options.TrackingParams adds to them.
func DefaultTrackingParams() []string {
	return slices.Clone(defaultTrackingParams)
}

var errNoBase = errors.New("relative URL without a base")

// Canonicalize returns the one spelling of raw that the crawler fetches,
// dedups and hands on, resolved against base when raw is relative (base may
// be nil for absolute URLs). Only http and https URLs have a canonical form.
//
// The rules:
//   - scheme and host lower-cased, IDN hosts in their ASCII form, a trailing
//     dot on the host dropped, default ports (80, 443) dropped;
//   - the fragment dropped, dot segments resolved, an empty path made "/";
//   - percent-encoding normalised (escapes upper-cased, needless escapes
//     decoded) except that an encoded "/" stays encoded;
//   - a path whose last segment has no file extension gets a trailing slash,
//     as WordPress redirects "/slug" to "/slug/": both spellings are one
//     page, and the slashed one is the one the site serves without a
//     redirect. "/wp-sitemap.xml" and "/image.jpg" stay as they are;
//   - query parameters named in trackingParams dropped (an entry ending in
//     "*" is a prefix, matching is case-insensitive), the remaining ones
//     sorted by name then value and re-encoded; an empty query removed;
//   - WordPress's comment-reply and sharing links are the post they are on:
//     "replytocom" is dropped whatever its value, and "share" when its
//     value is one of Jetpack's sharing services ("facebook", "x",
//     "email", "print"…; see wordpressShareServices), with the "nb"
//     that comes with it. Such addresses serve the post again, marked
//     noindex or redirecting to it, one per comment or per service.
//
// Canonicalize is idempotent: canonicalising its result gives it back.
func Canonicalize(raw string, base *url.URL, trackingParams []string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("canonicalize %q: %w", raw, err)
	}
	if base != nil {
		u = base.ResolveReference(u)
	} else if !u.IsAbs() {
		return "", fmt.Errorf("canonicalize %q: %w", raw, errNoBase)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("canonicalize %q: scheme %q is not http or https", raw, u.Scheme)
	}
	if u.Opaque != "" {
		return "", fmt.Errorf("canonicalize %q: opaque URL", raw)
	}
	host, err := canonicalHost(u)
	if err != nil {
		return "", fmt.Errorf("canonicalize %q: %w", raw, err)
	}
	u.Host = host
	u.Fragment, u.RawFragment = "", ""

	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	if strings.Contains(u.Path, "/.") {
		// ResolveReference against the URL itself removes dot segments
		// even when no base was given.
		u = u.ResolveReference(&url.URL{Path: u.Path, RawPath: u.RawPath, RawQuery: u.RawQuery})
	}
	if err := canonicalPath(u); err != nil {
		return "", fmt.Errorf("canonicalize %q: %w", raw, err)
	}
	u.RawQuery = canonicalQuery(u.RawQuery, trackingParams)
	u.ForceQuery = false
	return u.String(), nil
}

func canonicalHost(u *url.URL) (string, error) {
	hostname := strings.TrimRight(strings.ToLower(u.Hostname()), ".")
	if err := checkLabels(hostname); err != nil {
		return "", err
	}
	if isPlainHost(hostname) {
		// Nothing for IDNA to do: the common case, kept cheap.
	} else if !strings.Contains(hostname, ":") { // IPv6 literals are not IDNs
		ascii, err := idna.Lookup.ToASCII(hostname)
		if err != nil {
			return "", fmt.Errorf("host %q: %w", hostname, err)
		}
		// IDNA maps some characters (soft hyphens, joiners) to nothing,
		// which can leave a host or one of its labels empty.
		ascii = strings.TrimRight(ascii, ".")
		if err := checkLabels(ascii); err != nil {
			return "", fmt.Errorf("host %q: %w", hostname, err)
		}
		hostname = ascii
	} else {
		ip, err := netip.ParseAddr(hostname)
		if err != nil || ip.Zone() != "" {
			return "", fmt.Errorf("host %q is not an IPv6 address", hostname)
		}
		hostname = "[" + ip.String() + "]"
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		return hostname + ":" + port, nil
	}
	return hostname, nil
}

// checkLabels refuses a host name that is empty or has an empty label.
func checkLabels(hostname string) error {
	if hostname == "" {
		return errors.New("no host")
	}
	if strings.HasPrefix(hostname, ".") || strings.Contains(hostname, "..") {
		return fmt.Errorf("host %q has an empty label", hostname)
	}
	return nil
}

// isPlainHost reports whether a lower-cased host name is made of ASCII
// letters, digits, hyphens and dots only, with no label starting or ending
// with a hyphen and no "xn--" label to check.
func isPlainHost(h string) bool {
	if h == "" || strings.Contains(h, "xn--") {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '.':
		case c == '-':
			if i == 0 || i == len(h)-1 || h[i-1] == '.' || h[i+1] == '.' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func canonicalPath(u *url.URL) error {
	escaped := u.EscapedPath()
	// An encoded slash is part of a segment, not a separator: keep it
	// encoded, and normalise the rest of that spelling by hand.
	keepRaw := strings.Contains(strings.ToUpper(escaped), "%2F")
	p := u.Path
	if p == "" {
		p = "/"
	}
	if needsTrailingSlash(p) {
		p += "/"
		escaped += "/"
	}
	u.Path = p
	u.RawPath = ""
	if keepRaw {
		raw, err := normaliseEscapes(escaped)
		if err != nil {
			return err
		}
		decoded, err := url.PathUnescape(raw)
		if err != nil {
			return err
		}
		u.Path, u.RawPath = decoded, raw
	}
	return nil
}

func needsTrailingSlash(p string) bool {
	if strings.HasSuffix(p, "/") {
		return false
	}
	return !strings.Contains(path.Base(p), ".")
}

// normaliseEscapes upper-cases percent escapes and decodes the ones that
// stand for unreserved characters, leaving every other byte as it is.
func normaliseEscapes(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return "", fmt.Errorf("bad escape in %q", s)
		}
		v := unhex(s[i+1])<<4 | unhex(s[i+2])
		if isUnreserved(v) {
			b.WriteByte(v)
		} else {
			b.WriteByte('%')
			b.WriteString(strings.ToUpper(s[i+1 : i+3]))
		}
		i += 2
	}
	return b.String(), nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

type queryParam struct{ key, value, raw string }

// wordpressShareServices are the values of the "share" parameter of
// Jetpack's sharing buttons ("/post/?share=facebook&nb=1"), which open a
// share dialog or redirect off the site: the post again, for a crawler.
var wordpressShareServices = []string{
	"bluesky", "email", "facebook", "jetpack-whatsapp", "linkedin", "mastodon",
	"nextdoor", "pinterest", "pocket", "press-this", "print", "reddit", "skype",
	"telegram", "threads", "tumblr", "twitter", "whatsapp", "x",
}

// canonicalQuery drops tracking parameters and WordPress's comment-reply
// and sharing parameters, sorts the rest and re-encodes them. A pair whose
// escapes do not decode is kept verbatim, so that nothing the site may need
// is lost.
func canonicalQuery(rawQuery string, trackingParams []string) string {
	if rawQuery == "" {
		return ""
	}
	share := false
	for pair := range strings.SplitSeq(rawQuery, "&") {
		rawKey, rawValue, _ := strings.Cut(pair, "=")
		key, errK := url.QueryUnescape(rawKey)
		value, errV := url.QueryUnescape(rawValue)
		if errK == nil && errV == nil && isWordPressNoise(key, value, false) && strings.EqualFold(key, "share") {
			share = true
		}
	}
	var params []queryParam
	for pair := range strings.SplitSeq(rawQuery, "&") {
		if pair == "" {
			continue
		}
		rawKey, rawValue, hasValue := strings.Cut(pair, "=")
		key, errK := url.QueryUnescape(rawKey)
		value, errV := url.QueryUnescape(rawValue)
		if errK != nil || errV != nil {
			// Sorted as it is written in the result, so that the
			// result sorts the same when read again.
			pair = escapeVerbatim(pair)
			k, v, _ := strings.Cut(pair, "=")
			params = append(params, queryParam{key: k, value: v, raw: pair})
			continue
		}
		if isTrackingParam(key, trackingParams) || isWordPressNoise(key, value, share) {
			continue
		}
		enc := url.QueryEscape(key)
		if hasValue {
			enc += "=" + url.QueryEscape(value)
		}
		params = append(params, queryParam{key: key, value: value, raw: enc})
	}
	slices.SortStableFunc(params, func(a, b queryParam) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		if c := strings.Compare(a.value, b.value); c != 0 {
			return c
		}
		return strings.Compare(a.raw, b.raw)
	})
	raws := make([]string, len(params))
	for i, p := range params {
		raws[i] = p.raw
	}
	return strings.Join(raws, "&")
}

// escapeVerbatim escapes, in a query pair kept as it was written, the
// bytes a URL cannot hold as they are (spaces, controls, non-ASCII), so
// that the canonical URL is one: a trailing space would otherwise be
// trimmed when it is read again. Its percent signs, which do not decode,
// stay as they are.
func escapeVerbatim(pair string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(pair); i++ {
		c := pair[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"<>\\^`{|}#", c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isWordPressNoise reports whether a query parameter only makes another
// address of a WordPress post (see Canonicalize); share tells whether the
// query holds a Jetpack sharing parameter.
func isWordPressNoise(key, value string, share bool) bool {
	switch strings.ToLower(key) {
	case "replytocom":
		return true
	case "share":
		return slices.Contains(wordpressShareServices, strings.ToLower(value))
	case "nb":
		return share && value == "1"
	}
	return false
}

func isTrackingParam(key string, trackingParams []string) bool {
	key = strings.ToLower(key)
	for _, t := range trackingParams {
		t = strings.ToLower(t)
		if prefix, ok := strings.CutSuffix(t, "*"); ok {
			if strings.HasPrefix(key, prefix) {
				return true
			}
		} else if key == t {
			return true
		}
	}
	return false
}
