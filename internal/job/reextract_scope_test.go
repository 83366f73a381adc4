package job

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"folio/internal/testsite/wpsite"
)

func TestReextractOnlySite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, wpsite.Options{Articles: 3})
	if _, err := f.run(t, ctx, false, nil); err != nil {
		t.Fatal(err)
	}
	blog := Site{Name: "blog", StartURLs: []string{f.base, f.base + "feed/"}}
	other := Site{Name: "other", StartURLs: []string{"https://other.example/"}}
	for _, tt := range []struct {
		name      string
		wantSites []string
		wantHosts []string
		wantErr   string
	}{
		{name: "blog", wantSites: []string{"blog", "other", "blog"}, wantHosts: []string{"127.0.0.1"}},
		{name: "127.0.0.1", wantSites: []string{"other", "blog"}, wantHosts: []string{"127.0.0.1"}},
		{name: "nowhere", wantErr: `"nowhere": no configured site has that name (other, blog), and the archive holds no record of that host (127.0.0.1)`},
	} {
		o := ReextractOptions{Sites: []Site{other, blog}}
		err := o.OnlySite(ctx, f.store, tt.name)
		if tt.wantErr != "" {
			var unknown *UnknownSiteError
			if !errors.As(err, &unknown) || err.Error() != tt.wantErr {
				t.Errorf("OnlySite(%q): err %v, want %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("OnlySite(%q): %v", tt.name, err)
		}
		var names []string
		for _, s := range o.Sites {
			names = append(names, s.Name)
		}
		if !slices.Equal(names, tt.wantSites) || !slices.Equal(o.Hosts, tt.wantHosts) {
			t.Errorf("OnlySite(%q): sites %v, hosts %v; want %v, %v", tt.name, names, o.Hosts, tt.wantSites, tt.wantHosts)
		}
	}
}

func TestListOrNone(t *testing.T) {
	t.Parallel()
	var twelve []string
	for i := range 12 {
		twelve = append(twelve, fmt.Sprint(i))
	}
	for _, tt := range []struct {
		in   []string
		want string
	}{
		{nil, "none"},
		{[]string{"a", "b"}, "a, b"},
		{twelve, "0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 2 more"},
	} {
		if got := listOrNone(tt.in); got != tt.want {
			t.Errorf("listOrNone(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
