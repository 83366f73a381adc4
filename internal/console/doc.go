// Package console is what folio's commands write to a terminal: whether
// an output is one and gets colour, the progress line kept at the bottom
// of stderr with logs printed above it, a note for a wait that lasts, and
// archived text cleaned of the control characters a terminal would act on.
package console
