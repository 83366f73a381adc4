package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestAuthorLinkName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"View all of Claire Martin's posts.", "Claire Martin"},
		{"View all of Claire Martin’s posts", "Claire Martin"},
		{"View all posts by Étienne Durand", "Étienne Durand"},
		{"More posts from Jo Baker →", "Jo Baker"},
		{"Posts by Jo Baker", "Jo Baker"},
		{"Voir tous les articles de Sophie Lefèvre", "Sophie Lefèvre"},
		{"Tous les articles par Julien Moreau", "Julien Moreau"},
		{"Voir tous les articles d’Étienne Durand", "Étienne Durand"},
		{"Alle Beiträge von Anna Schmidt", "Anna Schmidt"},
		{"Ver todas las entradas de Ana García", "Ana García"},
		// Not such a sentence: the text stays as it is.
		{"Claire Martin", "Claire Martin"},
		{"Publié par Claire Martin", "Publié par Claire Martin"},
	}
	for _, tt := range tests {
		if got := authorLinkName(tt.in); got != tt.want {
			t.Errorf("authorLinkName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsCommentBlock(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<main>
<div id="a" class="entry-content"><p>Corps</p></div>
<div id="b" class="comments-link"><a href="#comments">3 commentaires</a></div>
<div id="c" class="wp-block-comments"><ol><li id="d"><p>Texte</p></li></ol></div>
<ol id="e" class="commentlist"></ol>
<article id="f" class="comment-body"></article>
<div id="g" itemscope itemtype="https://schema.org/Comment"></div>
<div class="allShareBarCommentsListComment" id="comment3111"><p>Danke!</p></div>
<li id="li-comment-42"><p>Merci</p></li>
<p id="comment-form-note">Votre adresse ne sera pas publiée.</p>
</main>`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"a": false, "b": false, "c": true, "e": true, "f": true, "g": true,
		"comment3111": true, "li-comment-42": true, "comment-form-note": false}
	for id, comment := range want {
		n := findByID(doc, id)
		if n == nil {
			t.Fatalf("no element #%s", id)
		}
		if got := isCommentBlock(n); got != comment {
			t.Errorf("isCommentBlock(#%s) = %v, want %v", id, got, comment)
		}
	}
	if !inComments(findByID(doc, "d")) {
		t.Error("a paragraph inside the comments is not in comments")
	}
	if got := len(commentBlocks(doc)); got != 6 {
		t.Errorf("commentBlocks found %d outermost blocks, want 6", got)
	}
}

func findByID(n *html.Node, id string) *html.Node {
	if n.Type == html.ElementNode && attr(n, "id") == id {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findByID(c, id); f != nil {
			return f
		}
	}
	return nil
}
