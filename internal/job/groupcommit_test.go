//go:build linux

package job

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"folio"
	"folio/archive"
	"folio/index"
	"folio/internal/testsite/wpsite"
)

// killChildEnv makes the test binary a crawl that stops inside a group
// commit (see killChild); its value is a killSpec in JSON.
const killChildEnv = "FOLIO_JOB_KILL_CHILD"

type killSpec struct {
	Base, Dir string
	// After is how many records the child commits before it says
	// "in-commit", inside its next group commit, and waits to be killed.
	After int
}

// inCommit is what the child prints once it holds a group commit open.
const inCommit = "in-commit"

// TestKillDuringGroupCommit kills a crawl with SIGKILL while the archive's
// writer is inside a group commit (its writes made, its COMMIT not yet),
// then runs the crawl again: the archive ends as an uninterrupted crawl's,
// and no URL the killed crawl had durably marked done is fetched again.
func TestKillDuringGroupCommit(t *testing.T) {
	t.Parallel()
	const articles = 40
	opts := wpsite.Options{Articles: articles, Validators: true, Latency: 5 * time.Millisecond}

	// What an uninterrupted crawl archives.
	ref := newFixture(t, wpsite.Options{Articles: articles, Validators: true})
	if _, err := ref.run(t, context.Background(), false, nil); err != nil {
		t.Fatal(err)
	}
	want := archivedHashes(t, ref.store, ref.base)

	site := wpsite.New(opts)
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	base := srv.URL + "/"
	dir := t.TempDir()
	spec, _ := json.Marshal(killSpec{Base: base, Dir: dir, After: 10})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+string(spec))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	held := false
	for lines.Scan() {
		if lines.Text() == inCommit {
			held = true
			break
		}
	}
	if !held {
		cmd.Wait()
		t.Fatalf("the crawl ended before its group commit was held: make the site slower\n%s", stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	// What the killed crawl made durable.
	done := doneURLs(t, dir)
	st, err := archive.OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	before := archivedHashes(t, st, base)
	st.Close()
	if len(before) == 0 || len(before) >= articles || len(done) == 0 {
		t.Fatalf("killed with %d of %d articles archived and %d URLs done: kill it in the middle", len(before), articles, len(done))
	}

	f := &fixture{site: site, base: base, dir: dir}
	f.open(t)
	if _, err := f.run(t, context.Background(), false, nil); err != nil {
		t.Fatalf("the run after the kill: %v", err)
	}
	got := archivedHashes(t, f.store, base)
	for path, hash := range want {
		if got[path] != hash {
			t.Errorf("%s: content hash %q, an uninterrupted crawl gives %q", path, got[path], hash)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d records after the kill and the rerun, %d after an uninterrupted crawl", len(got), len(want))
	}
	for _, u := range done {
		path := "/" + strings.TrimPrefix(u, base)
		if n := site.Requests(path); n > 1 {
			t.Errorf("%s, done when the crawl was killed, was fetched %d times over both runs", path, n)
		}
	}
	t.Logf("killed inside a group commit with %d articles archived and %d URLs done", len(before), len(done))
}

// archivedHashes returns the content hash of each record of st, by path
// under base, and checks that each has one revision.
func archivedHashes(t *testing.T, st *archive.Store, base string) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	err := st.Iterate(ctx, archive.IterateOptions{}, func(a folio.Article) error {
		path := strings.TrimPrefix(a.URL, strings.TrimSuffix(base, "/"))
		out[path] = a.ContentHash
		revs, err := st.Revisions(ctx, a.ID)
		if err == nil && len(revs) != 1 {
			t.Errorf("%s has %d revisions, want 1", path, len(revs))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// doneURLs reads the URLs the crawl state of the archive in dir holds as
// done, as a killed process left them.
func doneURLs(t *testing.T, dir string) []string {
	t.Helper()
	st, err := archive.OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	done, err := st.DoneURLs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return done
}

// killChild crawls spec.Base into spec.Dir, and inside its first group
// commit after spec.After records are committed, says so on stdout and
// waits to be killed.
func killChild(specJSON string) int {
	var spec killSpec
	if err := json.Unmarshal([]byte(specJSON), &spec); err != nil {
		fmt.Fprintf(os.Stderr, "bad %s: %v\n", killChildEnv, err)
		return 2
	}
	var committed atomic.Int32
	onEvent := func(e Event) {
		if e.Kind == EventPage && e.Outcome == OutcomeNew {
			committed.Add(1) // told once the record is committed
		}
	}
	hook := func(writes int) {
		if int(committed.Load()) >= spec.After {
			fmt.Println(inCommit)
			time.Sleep(time.Minute)
		}
	}
	st, err := archive.Open(spec.Dir, archive.WithCommitHook(hook))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ix, err := index.OpenShared(filepath.Join(spec.Dir, "index.bleve"), index.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	site := SiteFor(spec.Base)
	site.Crawl.Concurrency = 8
	zero := time.Duration(0)
	site.Crawl.Delay = &zero
	if _, err := Run(context.Background(), site, Deps{Archive: st, Index: ix}, RunOptions{}, onEvent); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
