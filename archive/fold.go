package archive

import (
	"database/sql/driver"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"modernc.org/sqlite"
)

// keyFunc is the SQL function that folds a value as FoldKey does, for
// filters that ignore case and accents.
const keyFunc = "folio_key"

func init() {
	// Registered with the driver: every connection opened after has it.
	if err := sqlite.RegisterDeterministicScalarFunction(keyFunc, 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		if s, ok := args[0].(string); ok {
			return FoldKey(s), nil
		}
		return args[0], nil
	}); err != nil {
		panic("archive: register " + keyFunc + ": " + err.Error())
	}
}

var asciiFold = asciifolding.New()

// FoldKey is s lower-cased and folded to ASCII (é → e, œ → oe, ’ → '), as
// the search index folds keyword values (site, author, category, tags) for
// its filters: a filter on the archive and one on the index select the
// same records.
func FoldKey(s string) string {
	s = strings.ToLower(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return string(asciiFold.Filter([]byte(s)))
		}
	}
	return s
}
