package archive

import (
	"context"
	"database/sql"
	"fmt"
)

// Stats sums up what the archive holds.
type Stats struct {
	Articles  int64
	Revisions int64
	Captures  int64
	// CaptureBytes is the size of the raw captures as fetched; StoredBytes
	// what they take compressed.
	CaptureBytes, StoredBytes int64
	// MaxSeq is the archive's highest sequence number.
	MaxSeq int64
	// Sites counts articles per site (Key is empty); Categories per site and
	// primary category; Months per site and month of publication ("2022-11",
	// in the offset the date was published with; "" when unknown).
	Sites, Categories, Months []Count
}

// Count is the number of articles in one group.
type Count struct {
	Site     string
	Key      string
	Articles int64
}

// Stats counts the archive's contents. Groups are sorted by site, then key.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	// One read transaction, so that the figures agree with each other.
	tx, err := s.readTx(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("count archive: %w", err)
	}
	defer tx.Rollback()
	err = tx.QueryRowContext(ctx, `
SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM revisions), count(*),
	coalesce(sum(size), 0), coalesce(sum(length(body)), 0), (SELECT value FROM counters WHERE name = 'seq')
FROM captures`).Scan(&st.Articles, &st.Revisions, &st.Captures, &st.CaptureBytes, &st.StoredBytes, &st.MaxSeq)
	if err != nil {
		return Stats{}, fmt.Errorf("count archive: %w", err)
	}
	groups := []struct {
		into *[]Count
		key  string
	}{
		{&st.Sites, `''`},
		{&st.Categories, `category`},
		{&st.Months, `coalesce(substr(` + s.jsonText("record", "published") + `, 1, 7), '')`},
	}
	for _, g := range groups {
		counts, err := s.countBy(ctx, tx, g.key)
		if err != nil {
			return Stats{}, err
		}
		*g.into = counts
	}
	return st, nil
}

func (s *Store) countBy(ctx context.Context, tx *sql.Tx, key string) ([]Count, error) {
	rows, err := tx.QueryContext(ctx, `
SELECT site, `+key+` AS k, count(*) FROM articles GROUP BY site, k ORDER BY site, k`)
	if err != nil {
		return nil, fmt.Errorf("count articles by %s: %w", key, err)
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Site, &c.Key, &c.Articles); err != nil {
			return nil, fmt.Errorf("count articles by %s: %w", key, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count articles by %s: %w", key, err)
	}
	return out, nil
}
