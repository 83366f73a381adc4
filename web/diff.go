package web

import (
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// opKind says whether words are in both revisions, only the older one or
// only the newer one.
type opKind int

const (
	opSame opKind = iota
	opDeleted
	opInserted
)

// wordOp is a run of words of a word diff.
type wordOp struct {
	Kind opKind
	Text string
}

func (o wordOp) Deleted() bool  { return o.Kind == opDeleted }
func (o wordOp) Inserted() bool { return o.Kind == opInserted }

// wordDiff compares two texts word by word (white space is not a change)
// and returns the runs of words kept, deleted and inserted, in reading
// order.
func wordDiff(from, to string) []wordOp {
	a, b := strings.Fields(from), strings.Fields(to)
	var ops []wordOp
	emit := func(kind opKind, words []string) {
		if len(words) == 0 {
			return
		}
		text := strings.Join(words, " ")
		if n := len(ops); n > 0 && ops[n-1].Kind == kind {
			ops[n-1].Text += " " + text
			return
		}
		ops = append(ops, wordOp{Kind: kind, Text: text})
	}
	m := difflib.NewMatcherWithJunk(a, b, false, nil)
	for _, op := range m.GetOpCodes() {
		switch op.Tag {
		case 'e':
			emit(opSame, a[op.I1:op.I2])
		case 'd':
			emit(opDeleted, a[op.I1:op.I2])
		case 'i':
			emit(opInserted, b[op.J1:op.J2])
		case 'r':
			emit(opDeleted, a[op.I1:op.I2])
			emit(opInserted, b[op.J1:op.J2])
		}
	}
	return ops
}
