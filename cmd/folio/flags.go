package main

import (
	"fmt"
	"time"

	"folio/internal/config"
)

// durationFlag is a duration flag that takes a bare number as seconds, as
// the config does. A negative value means unset: the help then shows no
// default (pflag's own Duration printed "(default -1ns)").
type durationFlag struct{ d *time.Duration }

func (f durationFlag) String() string {
	if f.d == nil || *f.d < 0 {
		return ""
	}
	return f.d.String()
}

func (f durationFlag) Set(s string) error {
	d, err := config.ParseSeconds(s)
	if err != nil {
		return err
	}
	if d < 0 {
		return fmt.Errorf("%q: must not be negative", s)
	}
	*f.d = d
	return nil
}

func (durationFlag) Type() string { return "duration" }
