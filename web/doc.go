// Package web serves an archive to people and to programs: server-rendered
// pages to search the archive, read an archived article as it was, follow
// its previous posts, compare its revisions and see the sites and their
// runs; and a JSON API whose records and field names are the export's.
//
// It only reads. The archive is read through an archive.Store opened
// read-only, which sees every record a crawl commits; the index is searched
// through Deps.Search, which opens it for one search at a time, as `folio
// search` does, so a server runs beside a crawl or a schedule and its
// searches see new records as soon as they are indexed.
//
// Everything an archived page carries is treated as hostile: bodies are
// sanitised (bluemonday) and every response goes out under a strict
// Content-Security-Policy that lets no script run but the server's own.
// Pages work without JavaScript; a small script adds keyboard navigation.
// The entry point is New, which returns an http.Handler.
package web
