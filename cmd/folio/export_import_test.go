package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"folio"
	"folio/archive"
	"folio/index"
	"folio/internal/datadir"
)

// schemaFile is the record's JSON Schema, part of the repository.
const schemaFile = "../../docs/article.schema.json"

// articleSchema compiles docs/article.schema.json, asserting formats
// (date-time, uri), which draft 2020-12 only annotates by default.
func articleSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", schemaFile, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("article.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("article.schema.json")
	if err != nil {
		t.Fatalf("%s does not compile: %v", schemaFile, err)
	}
	return sch
}

func validateRecord(sch *jsonschema.Schema, record []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(record))
	if err != nil {
		return err
	}
	return sch.Validate(v)
}

// jsonLines splits a JSON Lines export, checking it ends with a newline.
func jsonLines(t *testing.T, data []byte) [][]byte {
	t.Helper()
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Errorf("JSON Lines export does not end with a newline")
	}
	return bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
}

// TestExportImportRoundTrip crawls the test site, validates every exported
// record against docs/article.schema.json, imports the JSON Lines export
// into a second archive and exports it again: the same bytes. The WARC
// export of the same archive reads back with the WARC library, each response
// holding the page the site served.
func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	const articles = 30
	site, base := startSite(t, articles)
	truth := site.Expected(strings.TrimSuffix(base, "/"))
	src := newTestEnv(t)
	ctx := context.Background()
	if err := runCrawl(ctx, localCrawl(), src.g(), []string{base}); err != nil {
		t.Fatalf("crawl: %v\n%s", err, src.stderr.String())
	}
	work := t.TempDir()
	sch := articleSchema(t)

	exportTo := func(env *testEnv, format, name string) []byte {
		t.Helper()
		out := filepath.Join(work, name)
		if err := runExport(ctx, exportOptions{format: format, output: out}, env.g()); err != nil {
			t.Fatalf("export %s: %v", format, err)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}

	first := exportTo(src, "jsonl", "first.jsonl")
	lines := jsonLines(t, first)
	if len(lines) != articles {
		t.Fatalf("export has %d lines, want %d", len(lines), articles)
	}
	for i, line := range lines {
		if err := validateRecord(sch, line); err != nil {
			t.Errorf("line %d does not match the schema: %v", i+1, err)
		}
	}
	var array []json.RawMessage
	if err := json.Unmarshal(exportTo(src, "json", "first.json"), &array); err != nil || len(array) != articles {
		t.Fatalf("JSON export: %d records, %v", len(array), err)
	}
	for i, rec := range array {
		if err := validateRecord(sch, rec); err != nil {
			t.Errorf("JSON record %d does not match the schema: %v", i, err)
		}
	}

	dst := newTestEnv(t)
	g := dst.g()
	if err := runImport(ctx, g, filepath.Join(work, "first.jsonl"), importOptions{maxLine: defaultMaxLine}); err != nil {
		t.Fatalf("import: %v\n%s", err, dst.stderr.String())
	}
	if want := "30 records, 30 new, 0 changed, 0 unchanged; 30 indexed"; !strings.Contains(dst.stdout.String(), want) {
		t.Errorf("import summary %q lacks %q", dst.stdout.String(), want)
	}
	second := exportTo(dst, "jsonl", "second.jsonl")
	if !bytes.Equal(first, second) {
		a, b := jsonLines(t, first), jsonLines(t, second)
		for i := range min(len(a), len(b)) {
			if !bytes.Equal(a[i], b[i]) {
				t.Fatalf("export → import → export differs at line %d:\n%s\n%s", i+1, a[i], b[i])
			}
		}
		t.Fatalf("export → import → export: %d lines, then %d", len(a), len(b))
	}

	// Importing again changes nothing.
	g = dst.g()
	if err := runImport(ctx, g, filepath.Join(work, "second.jsonl"), importOptions{maxLine: defaultMaxLine}); err != nil {
		t.Fatal(err)
	}
	if want := "30 records, 0 new, 0 changed, 30 unchanged; 0 indexed"; !strings.Contains(dst.stdout.String(), want) {
		t.Errorf("second import summary %q lacks %q", dst.stdout.String(), want)
	}
	if third := exportTo(dst, "jsonl", "third.jsonl"); !bytes.Equal(first, third) {
		t.Error("a second import changed the export")
	}

	// The JSON export (one array) imports as JSON Lines does.
	fromJSON := newTestEnv(t)
	g = fromJSON.g()
	if err := runImport(ctx, g, filepath.Join(work, "first.json"), importOptions{maxLine: defaultMaxLine}); err != nil {
		t.Fatalf("import of the JSON export: %v\n%s", err, fromJSON.stderr.String())
	}
	if want := "30 records, 30 new, 0 changed, 0 unchanged; 30 indexed"; !strings.Contains(fromJSON.stdout.String(), want) {
		t.Errorf("import summary of the JSON export %q lacks %q", fromJSON.stdout.String(), want)
	}
	if again := exportTo(fromJSON, "jsonl", "from-json.jsonl"); !bytes.Equal(first, again) {
		t.Error("export json → import → export jsonl differs from the first export")
	}

	// The imported archive is searchable: the index holds every record.
	ix, err := index.Open(datadir.IndexDir(dst.dataDir), index.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	n, err := ix.DocCount()
	ix.Close()
	if err != nil || n != articles {
		t.Errorf("index of the imported archive holds %d records (%v), want %d", n, err, articles)
	}

	t.Run("warc", func(t *testing.T) {
		data := exportTo(src, "warc", "captures.warc.gz")
		pages := map[string][]byte{}
		for _, a := range truth {
			pages[a.URL] = fetchPage(t, a.URL)
		}
		u := archive.NewWARCUnmarshaler(gowarc.WithStrictValidation())
		r := bufio.NewReader(bytes.NewReader(data))
		counts := map[gowarc.RecordType]int{}
		for {
			rec, _, validation, err := u.Unmarshal(r)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("WARC record %d: %v", len(counts), err)
			}
			if len(validation) > 0 {
				t.Errorf("WARC record: %v", validation)
			}
			counts[rec.Type()]++
			if rec.Type() == gowarc.Response {
				target := rec.WarcHeader().Get(gowarc.WarcTargetURI)
				want, ok := pages[target]
				if !ok {
					t.Errorf("response for %s, which is not an article", target)
				}
				block := rec.Block().(gowarc.HttpResponseBlock)
				payload, err := block.PayloadBytes()
				if err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(payload)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s: WARC payload (%d bytes) is not the page the site serves (%d bytes)", target, len(got), len(want))
				}
				delete(pages, target)
			}
			rec.Close()
		}
		want := map[gowarc.RecordType]int{gowarc.Warcinfo: 1, gowarc.Response: articles, gowarc.Request: articles, gowarc.Metadata: articles}
		for typ, n := range want {
			if counts[typ] != n {
				t.Errorf("%d %s records, want %d", counts[typ], typ, n)
			}
		}
		if len(pages) > 0 {
			t.Errorf("%d articles have no response record", len(pages))
		}
	})

	t.Run("warc of an imported archive is empty", func(t *testing.T) {
		g := dst.g()
		if err := runExport(ctx, exportOptions{format: "warc"}, g); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(dst.stdout.String(), "WARC-Type: response"); n != 0 {
			t.Errorf("%d responses for records imported without a page", n)
		}
	})
}

// TestSchemaRejects holds the schema to the contract: each mutation of a
// valid record breaks a rule docs/design.md's table states.
func TestSchemaRejects(t *testing.T) {
	t.Parallel()
	sch := articleSchema(t)
	valid := `{"id":"0123456789abcdef","url":"https://radio.example/2022/11/07/x/","site":"radio.example",` +
		`"title":"T","published":"2022-11-07T00:00:00+01:00","modified":null,"category":"L'Europe",` +
		`"categories":["L'Europe"],"tags":[],"author":"admin","language":"fr","summary":"","body":"B",` +
		`"body_html":"<p>B</p>","previous":{"url":"https://radio.example/p/","title":"P","category":"",` +
		`"published":null,"excerpt":""},"next":null,"related":[{"url":"https://radio.example/r/","title":"R"}],` +
		`"source_url":null,"comment_count":0,"images":[],"fetched_at":"2024-01-02T03:04:05.123456789Z",` +
		`"content_hash":"` + strings.Repeat("ab", 32) + `"}`
	if err := validateRecord(sch, []byte(valid)); err != nil {
		t.Fatalf("a valid record is rejected: %v", err)
	}
	mutations := []struct {
		name, from, to string
	}{
		{"a field missing", `"modified":null,`, ``},
		{"a field added", `"modified":null,`, `"modified":null,"extra":1,`},
		{"published without offset", `"2022-11-07T00:00:00+01:00"`, `"2022-11-07 00:00"`},
		{"a relative url", `"url":"https://radio.example/2022/11/07/x/"`, `"url":"/2022/11/07/x/"`},
		{"categories null", `"categories":["L'Europe"]`, `"categories":null`},
		{"comment count negative", `"comment_count":0`, `"comment_count":-1`},
		{"comment count a string", `"comment_count":0`, `"comment_count":"3"`},
		{"a short id", `"0123456789abcdef"`, `"0123"`},
		{"previous without excerpt", `,"excerpt":""}`, `}`},
		{"related without title", `,"title":"R"}`, `}`},
		{"source url empty", `"source_url":null`, `"source_url":""`},
		{"fetched_at null", `"fetched_at":"2024-01-02T03:04:05.123456789Z"`, `"fetched_at":null`},
		{"language not BCP 47", `"language":"fr"`, `"language":"français"`},
	}
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			if !strings.Contains(valid, m.from) {
				t.Fatalf("the valid record lacks %q", m.from)
			}
			rec := strings.Replace(valid, m.from, m.to, 1)
			if err := validateRecord(sch, []byte(rec)); err == nil {
				t.Errorf("accepted: %s", rec)
			}
		})
	}
}

// TestImportBadLines: lines that are not records are reported with their
// line number and skipped; the good ones are imported; the exit status is 1.
func TestImportBadLines(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ctx := context.Background()
	good := func(n string) string {
		return `{"id":"","url":"https://radio.example/` + n + `/","site":"","title":"T` + n + `","published":null,` +
			`"modified":null,"category":"","categories":[],"tags":[],"author":"","language":"fr","summary":"",` +
			`"body":"B","body_html":"","previous":null,"next":null,"related":[],"source_url":null,` +
			`"comment_count":null,"images":[],"fetched_at":"2024-01-02T03:04:05Z","content_hash":""}`
	}
	input := strings.Join([]string{
		"\uFEFF" + good("a"), // a UTF-8 byte order mark, as some editors write
		`{"url": "https://radio.example/b/", "title": `,
		strings.Replace(good("c"), `"site":""`, `"site":"","score":3`, 1),
		strings.Replace(good("d"), `"url":"https://radio.example/d/"`, `"url":""`, 1),
		``,
		good("e"),
		strings.Replace(good("f"), `"url":"https://radio.example/f/"`, `"url":"javascript:alert(1)"`, 1),
		strings.Replace(good("g"), `"url":"https://radio.example/g/"`, `"url":"file:///etc/passwd"`, 1),
		strings.Replace(good("h"), `"url":"https://radio.example/h/"`, `"url":"https:///h/"`, 1),
	}, "\n")
	file := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(file, []byte(input), 0o644); err != nil {
		t.Fatal(err)
	}
	g := env.g()
	err := runImport(ctx, g, file, importOptions{maxLine: defaultMaxLine})
	if exitCode(err) != 1 || !strings.Contains(errString(err), "6 lines were not records") {
		t.Errorf("import error %v (exit %d), want 6 lines skipped, exit 1", err, exitCode(err))
	}
	logs := env.stderr.String()
	for _, want := range []string{"line=2", "not a JSON object", "line=3", "unknown field score", "line=4", "no url",
		"line=7", "javascript:alert(1)", "is not an http or https URL", "line=8", "file:///etc/passwd", "line=9"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
	st, err := archive.OpenReadOnly(env.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, u := range []string{"https://radio.example/a/", "https://radio.example/e/"} {
		if _, err := st.Get(ctx, u); err != nil {
			t.Errorf("good line %s not imported: %v", u, err)
		}
	}

	t.Run("the wrong file", func(t *testing.T) {
		env := newTestEnv(t)
		file := filepath.Join(t.TempDir(), "captures.warc")
		warc := "WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Type: application/warc-fields\r\n\r\nsoftware: folio\r\n\r\n"
		os.WriteFile(file, []byte(strings.Repeat(warc, 300)), 0o644)
		err := runImport(ctx, env.g(), file, importOptions{maxLine: defaultMaxLine})
		want := file + " line 1: not a folio record (expected one JSON object per line"
		if exitCode(err) != 1 || !strings.HasPrefix(errString(err), want) || !strings.Contains(errString(err), "is this the right file?") {
			t.Errorf("error %v (exit %d): want %q…, exit 1", err, exitCode(err), want)
		}
		if env.stdout.Len() > 0 || env.stderr.Len() > 0 {
			t.Errorf("import of the wrong file printed\nstdout: %s\nstderr: %s", env.stdout.String(), env.stderr.String())
		}
	})
	t.Run("standard input", func(t *testing.T) {
		g := env.g()
		g.stdin = strings.NewReader(good("f") + "\n")
		if err := runImport(ctx, g, "-", importOptions{maxLine: defaultMaxLine}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(env.stdout.String(), "imported standard input") {
			t.Errorf("summary %q", env.stdout.String())
		}
	})
	t.Run("a missing file", func(t *testing.T) {
		err := runImport(ctx, env.g(), filepath.Join(t.TempDir(), "none.jsonl"), importOptions{maxLine: defaultMaxLine})
		if exitCode(err) != 1 || !strings.Contains(errString(err), "none.jsonl") {
			t.Errorf("error %v (exit %d): want the file named, exit 1", err, exitCode(err))
		}
	})
}

// errString is err's message, "" for nil.
func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestImportCannotOverwrite: an import line cannot replace another article
// by carrying its id, nor hide an edit behind the old content_hash.
func TestImportCannotOverwrite(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ctx := context.Background()
	const first, second = "https://radio.example/first/", "https://radio.example/second/"
	record := func(url, title, body string) folio.Article {
		return folio.Article{
			ID: folio.ArticleID(url), URL: url, Site: "radio.example", Title: title, Body: body, Language: "fr",
			FetchedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), ContentHash: folio.ContentHash(title, body),
		}
	}
	line := func(a folio.Article) string {
		data, err := a.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	importLines := func(lines ...string) error {
		file := filepath.Join(t.TempDir(), "in.jsonl")
		if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return runImport(ctx, env.g(), file, importOptions{maxLine: defaultMaxLine})
	}
	if err := importLines(line(record(first, "Premier", "Le premier texte."))); err != nil {
		t.Fatal(err)
	}

	// The second URL's record carrying the first's id.
	stolen := record(second, "Second", "Un autre texte.")
	stolen.ID = folio.ArticleID(first)
	err := importLines(line(record(second, "Autre", "Rien.")), line(stolen))
	if exitCode(err) != 1 {
		t.Errorf("import of a reused id: %v (exit %d), want exit 1", err, exitCode(err))
	}
	if logs := env.stderr.String(); !strings.Contains(logs, "line=2") || !strings.Contains(logs, "has id "+folio.ArticleID(first)) {
		t.Errorf("the log does not name line 2 and its id:\n%s", logs)
	}

	// The first record edited, its old hash kept.
	edited := record(first, "Premier", "Le premier texte, corrigé.")
	edited.ContentHash = folio.ContentHash("Premier", "Le premier texte.")
	edited.FetchedAt = edited.FetchedAt.Add(time.Hour)
	env.stdout.Reset()
	if err := importLines(line(edited)); err != nil {
		t.Fatal(err)
	}
	if want := "1 record, 0 new, 1 changed, 0 unchanged"; !strings.Contains(env.stdout.String(), want) {
		t.Errorf("import of an edited record: %q, want %q", env.stdout.String(), want)
	}

	st, err := archive.OpenReadOnly(env.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.Get(ctx, first)
	if err != nil {
		t.Fatalf("the first article: %v", err)
	}
	if got.URL != first || got.Body != edited.Body || got.ContentHash != folio.ContentHash(edited.Title, edited.Body) {
		t.Errorf("the first article is %s %q hash %s, want the edited text and its own hash", got.URL, got.Body, got.ContentHash)
	}
	revs, err := st.Revisions(ctx, folio.ArticleID(first))
	if err != nil || len(revs) != 2 {
		t.Errorf("the first article has %d revisions (%v), want 2", len(revs), err)
	}
	if got, err := st.Get(ctx, second); err != nil || got.Title != "Autre" {
		t.Errorf("the second article: %+v, %v; want the good line's record", got, err)
	}
}
