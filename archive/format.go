package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"folio"
)

// recordFormat names the shape of the records this build writes: a digest
// of every key path in folio.Article's JSON, nested objects included. Each
// stored record carries the format it was written in, so that Export can
// copy current records through untouched and still re-encode older ones,
// which lack the fields added since, whatever version wrote them.
var recordFormat = mustRecordFormat()

func mustRecordFormat() string {
	f, err := formatOf(sampleArticle())
	if err != nil {
		panic(fmt.Sprintf("archive: compute record format: %v", err))
	}
	return f
}

// sampleArticle has every optional part present, so that its JSON shows
// every key.
func sampleArticle() folio.Article {
	t := time.Unix(0, 0).UTC()
	n := 0
	post := &folio.PostLink{Published: &t}
	return folio.Article{
		Published: &t, Modified: &t, Previous: post, Next: post, CommentCount: &n,
		Categories: []string{""}, Tags: []string{""}, Images: []string{""}, Related: []folio.Link{{}},
		SourceURL: "x",
	}
}

func formatOf(a folio.Article) (string, error) {
	data, err := a.MarshalJSON()
	if err != nil {
		return "", err
	}
	return formatOfJSON(data)
}

func formatOfJSON(data []byte) (string, error) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return "", err
	}
	var paths []string
	keyPaths("", v, &paths)
	slices.Sort(paths)
	sum := sha256.Sum256([]byte(strings.Join(paths, "\n")))
	return hex.EncodeToString(sum[:8]), nil
}

func keyPaths(prefix string, v any, out *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			*out = append(*out, prefix+"."+k)
			keyPaths(prefix+"."+k, child, out)
		}
	case []any:
		for _, child := range v {
			keyPaths(prefix+"[]", child, out)
		}
	}
}
