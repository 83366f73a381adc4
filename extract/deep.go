package extract

import (
	"bytes"

	"golang.org/x/net/html"
)

// maxKeptDepth is how deep flattenDeep keeps elements: well under the
// parser's 512, which counts the elements the parser adds itself.
const maxKeptDepth = 256

// flattenDeep rewrites body without the start and end tags of the
// elements nested deeper than maxKeptDepth, keeping their text: the HTML
// parser refuses a page nested deeper than 512 elements (as a defence
// against pages built to exhaust it), and such a page's text is still
// worth a record. Depth is counted on the tags as written, void and
// self-closing ones aside; an end tag closes the nearest open element of
// its name, as the parser mostly does.
func flattenDeep(body []byte) []byte {
	type open struct {
		name string
		kept bool
	}
	var stack []open
	var out bytes.Buffer
	out.Grow(len(body))
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out.Bytes()
		}
		raw := z.Raw()
		switch tt {
		case html.StartTagToken:
			name, _ := z.TagName()
			if voidElements[string(name)] {
				break
			}
			kept := len(stack) < maxKeptDepth
			stack = append(stack, open{string(name), kept})
			if !kept {
				continue
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i].name == string(name) {
					kept := stack[i].kept
					stack = stack[:i]
					if !kept {
						raw = nil
					}
					break
				}
			}
		}
		out.Write(raw)
	}
}

// voidElements have no end tag and hold nothing.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true,
}
