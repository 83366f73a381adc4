package wpsite

import (
	"strconv"
	"time"
)

// Mutation is what one call to Site.Mutate changed: URL paths, newest
// first.
type Mutation struct {
	// Changed are the articles whose text was edited.
	Changed []string
	// Added are the articles published.
	Added []string
}

// Mutate does a day's work of the newsroom: it edits the text of k articles
// (each gets an update paragraph at the end of its body, so that its
// content hash changes) and publishes k new ones, dated after the newest.
// Expected, the listings, feeds and sitemaps follow; with Validators on, the
// edited articles get new validators and the others keep theirs.
//
// The edited articles are the oldest not edited yet, fault articles and the
// source blog's articles excepted. Every call is one more round: the site
// after the same calls is the same, byte for byte. Mutate is safe to call
// while the site serves; a request sees the site before or after, never
// between.
func (s *Site) Mutate(k int) Mutation {
	return s.change(round{k: max(k, 0)})
}

// Edit edits the articles at paths (an update paragraph closes their body,
// dated the day after the newest post), whatever their age, and publishes
// nothing; a path that is no article is ignored. Like Mutate, it is one
// more round, and Expected, the listings, feeds and sitemaps follow.
func (s *Site) Edit(paths ...string) Mutation {
	m := s.model.Load()
	var ranks []int
	for _, p := range paths {
		if post, ok := m.byPath[p]; ok {
			ranks = append(ranks, post.rank)
		}
	}
	return s.change(round{edit: ranks})
}

// round is one Mutate or Edit call.
type round struct {
	k    int   // edits of the oldest articles not edited yet, and new posts
	edit []int // ranks of articles edited
}

func (s *Site) change(r round) Mutation {
	s.mutateMu.Lock()
	defer s.mutateMu.Unlock()
	s.rounds = append(s.rounds, r)
	before := s.model.Load()
	after := newModel(s.opts.Articles, s.opts.Seed, s.rounds)
	var mu Mutation
	for _, rank := range after.newestFirst {
		p := after.posts[rank]
		old, ok := before.byPath[p.path]
		switch {
		case !ok:
			mu.Added = append(mu.Added, p.path)
		case len(p.edits) > len(old.edits):
			mu.Changed = append(mu.Changed, p.path)
		}
	}
	s.model.Store(after)
	return mu
}

// mutate applies the mutation rounds to the posts of a new site (oldest
// first), k edits then k new posts a round, and returns the posts with the
// new ones appended. generated is the number of posts generated so far;
// perCategory goes on counting the protagonists of each category.
func mutate(posts []*post, rounds []round, seedHash uint64, generated int, perCategory []int) []*post {
	var editable []*post
	for _, p := range posts {
		if p.anchor == nil && p.fault == 0 {
			editable = append(editable, p)
		}
	}
	edited := 0
	for _, r := range rounds {
		newest := posts[len(posts)-1].day
		if len(r.edit) > 0 {
			// Ranks stay: new posts are appended after the newest.
			when := civil(newest.AddDate(0, 0, 1))
			for _, rank := range r.edit {
				posts[rank].edits = append(posts[rank].edits, when)
			}
			continue
		}
		k := r.k
		// The round's edits are dated the day of its last new post.
		when := civil(newest.AddDate(0, 0, max(k, 1)))
		for range k {
			if edited < len(editable) {
				editable[edited].edits = append(editable[edited].edits, when)
				edited++
			}
		}
		for i := 1; i <= k; i++ {
			posts = append(posts, generatePost(seedHash, generated, civil(newest.AddDate(0, 0, i)), perCategory))
			generated++
		}
	}
	return posts
}

const updateTemplate = "Mise à jour du {date} : {P} a apporté de nouvelles précisions sur {project}, dont le calendrier a été revu. Cet article a été complété en conséquence."

// updateParagraph is the paragraph an edit on day adds at the end of p's
// body.
func updateParagraph(p *post, day time.Time) string {
	date := strconv.Itoa(day.Day()) + " " + frenchMonths[day.Month()-1] + " " + strconv.Itoa(day.Year())
	if p.anchor != nil {
		return typeset("Mise à jour du " + date + " : cet article a été complété.")
	}
	fc := newFacts(p, p.day.Year())
	values := make(map[string]string, len(fc.values)+1)
	for k, v := range fc.values {
		values[k] = v
	}
	values["date"] = date
	return typeset(fill(updateTemplate, values))
}
