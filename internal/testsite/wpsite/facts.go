package wpsite

import (
	"slices"
	"strconv"
	"strings"
)

// facts are the particulars one generated article is written from: where it
// happens, who speaks, which numbers. They are derived from the article's
// hash and its protagonist's number, so an article's text can be rebuilt on
// demand instead of being kept in memory.
type facts struct {
	h        uint64
	category int
	place    place
	theme    theme
	person   firstName
	surname  string
	values   map[string]string
}

// pick returns a number in [0, n) for the article's choice number salt.
func pick(h uint64, salt uint64, n int) int {
	return int(splitmix(h+salt*0x9e3779b97f4a7c15) % uint64(n))
}

// personName returns the k-th distinct name of a pool of 16 first names and
// 16 surnames: the first 256 are plain first+last combinations (mixed so that
// consecutive k differ in both), the next ones get double-barrelled surnames,
// and beyond that a middle initial.
func personName(pool namePool, k int) (firstName, string) {
	a := k % 16
	q := (k / 16) % 16
	b := (q + 7*a) % 16
	first := pool.first[a]
	layer := k / 256
	surname := pool.last[b]
	if layer%16 != 0 {
		surname += "-" + pool.last[(b+layer%16)%16]
	}
	if layer >= 16 {
		initial := string(rune('A' + (layer/16-1)%26))
		first.name += " " + initial + "."
	}
	return first, surname
}

func newFacts(p *post, pubYear int) facts {
	h := p.gen.h
	cat := p.cats[0]
	fc := facts{
		h:        h,
		category: cat,
		place:    places[cat][pick(h, 1, len(places[cat]))],
		theme:    themes[pick(h, 2, len(themes))],
	}
	fc.person, fc.surname = personName(people[cat], p.gen.personK)
	fem := fc.person.feminine
	full := fc.person.name + " " + fc.surname

	expert, expertSurname := personName(experts, pick(h, 5, 256))
	xfem := expert.feminine
	voice := people[cat].first[pick(h, 8, 16)]
	if voice.name == fc.person.name {
		// A passer-by named like the protagonist would read as the same person.
		voice = people[cat].first[(pick(h, 8, 16)+1)%16]
	}

	v := map[string]string{
		"city":        fc.place.city,
		"deCity":      de(fc.place.city),
		"in":          fc.place.in,
		"country":     fc.place.country,
		"countryName": fc.place.name,
		"P":           full,
		"Plast":       fc.surname,
		"deP":         de(full),
		"il":          pronoun(fem),
		"lui":         stressed(fem),
		"e":           agreement(fem),
		"career":      careers[pick(h, 4, len(careers))].pick(fem),
		"X":           expert.name + " " + expertSurname,
		"Xlast":       expertSurname,
		"xrole":       expertTitles[pick(h, 6, len(expertTitles))].pick(xfem) + " à " + institutions[pick(h, 7, len(institutions))],
		"xil":         pronoun(xfem),
		"xlui":        stressed(xfem),
		"xe":          agreement(xfem),
		"V":           voice.name,
		"vage":        strconv.Itoa(19 + pick(h, 9, 60)),
		"vjob":        trades[pick(h, 10, len(trades))].pick(voice.feminine),
		"vil":         pronoun(voice.feminine),
		"project":     fc.theme.project,
		"aim":         fc.theme.aim,
		"stake":       fc.theme.stake,
		"public":      fc.theme.public,
		"critics":     fc.theme.critics,
		"grievance":   fc.theme.grievance,
		"unit":        fc.theme.unit,
		"amount":      strconv.Itoa(3+pick(h, 11, 948)) + " " + categories[cat].money,
		"pct":         strconv.Itoa(5 + pick(h, 12, 60)),
		"pts":         strconv.Itoa(2 + pick(h, 13, 18)),
		"nb":          frenchInt(12 + pick(h, 14, 1480)),
		"nb2":         strconv.Itoa(2 + pick(h, 15, 60)),
		"nb3":         frenchInt(1200 + pick(h, 16, 48000)),
		"year":        strconv.Itoa(pubYear + 1 + pick(h, 17, 5)),
		"since":       strconv.Itoa(pubYear - 2 - pick(h, 18, 12)),
		"since2":      strconv.Itoa(pubYear - 1 - pick(h, 19, 3)),
		"month":       frenchMonths[pick(h, 20, 12)],
		"day":         weekdays[pick(h, 21, len(weekdays))],
		"slogan":      slogans[pick(h, 22, len(slogans))],
	}
	v["role"] = fill(roles[pick(h, 3, len(roles))].pick(fem), v)
	fc.values = v
	return fc
}

func pronoun(feminine bool) string {
	if feminine {
		return "elle"
	}
	return "il"
}

func stressed(feminine bool) string {
	if feminine {
		return "elle"
	}
	return "lui"
}

func agreement(feminine bool) string {
	if feminine {
		return "e"
	}
	return ""
}

// fill replaces every {name} in tmpl with values[name], or with the
// capitalised values[lower-cased name] when only that exists.
func fill(tmpl string, values map[string]string) string {
	var b strings.Builder
	b.Grow(len(tmpl) + 64)
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			panic("wpsite: unclosed placeholder in template " + tmpl)
		}
		b.WriteString(tmpl[:i])
		key := tmpl[i+1 : i+j]
		if val, ok := values[key]; ok {
			b.WriteString(val)
		} else if val, ok := values[strings.ToLower(key[:1])+key[1:]]; ok {
			b.WriteString(capFirst(val))
		} else {
			panic("wpsite: unknown placeholder {" + key + "}")
		}
		tmpl = tmpl[i+j+1:]
	}
}

func (fc facts) title() string {
	return typeset(fill(titleTemplates[pick(fc.h, 23, len(titleTemplates))], fc.values))
}

// tags returns the post tags of the article, sorted as WordPress lists them
// (by name), or none for a third of the articles.
func (fc facts) tags(geo bool) []string {
	var tags []string
	if pick(fc.h, 26, 3) != 0 {
		tags = append(tags, fc.theme.tag)
		if fc.category != catFrance && pick(fc.h, 27, 2) == 0 {
			tags = append(tags, fc.place.name)
		}
	}
	if geo {
		tags = append(tags, tagNorthKorea, tagRussia)
	}
	slices.SortFunc(tags, func(a, b string) int { return strings.Compare(fold(a), fold(b)) })
	return slices.Compact(tags)
}

// paragraphs returns the article's text: the lead, then the body paragraphs.
func (fc facts) paragraphs(geo bool) []string {
	count := 3 + pick(fc.h, 24, 10) // lead + middles + outlook
	middles := count - 2

	// Pick which kinds of middle paragraph the article has, keeping their
	// natural order; the tenth, if needed, repeats a kind with another
	// alternative.
	others := middles
	if geo {
		others--
	}
	kinds := make([]int, len(middleKinds))
	for i := range kinds {
		kinds[i] = i
	}
	for i := len(kinds) - 1; i > 0; i-- {
		j := pick(fc.h, 50+uint64(i), i+1)
		kinds[i], kinds[j] = kinds[j], kinds[i]
	}
	var chosen []int
	repeat := -1
	if others > len(kinds) {
		repeat = kinds[0]
		others = len(kinds)
	}
	chosen = append(chosen, kinds[:others]...)
	if repeat >= 0 {
		chosen = append(chosen, repeat)
	}
	slices.Sort(chosen)

	paras := make([]string, 0, count)
	paras = append(paras, fc.render(leadTemplates[pick(fc.h, 25, len(leadTemplates))]))
	seen := map[int]bool{}
	for _, kind := range chosen {
		alts := middleKinds[kind]
		alt := pick(fc.h, 30+uint64(kind), len(alts))
		if seen[kind] {
			alt = (alt + 1) % len(alts)
		}
		seen[kind] = true
		paras = append(paras, fc.render(alts[alt]))
	}
	if geo {
		// The geopolitical paragraph comes just before the outlook, once
		// the expert it quotes may have been introduced.
		paras = append(paras, fc.render(geoTemplates[pick(fc.h, 28, len(geoTemplates))]))
	}
	paras = append(paras, fc.render(outlookTemplates[pick(fc.h, 29, len(outlookTemplates))]))
	return paras
}

func (fc facts) render(tmpl string) string { return typeset(fill(tmpl, fc.values)) }
