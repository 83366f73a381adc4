// Package folio holds the domain types shared by every stage of the
// pipeline: the fetched Page, the extracted Article record and its Links,
// and the identifiers derived from them.
//
// It imports only the standard library and nothing of folio's, so that every
// stage (crawler, extract, archive, index) can depend on it without depending
// on each other. The JSON tags of Article are the export contract described
// in docs/design.md: field names are snake_case and every field is present in every
// exported record, null or empty when unknown.
//
// The pipeline itself lives in internal/job; the command line in cmd/folio.
package folio
