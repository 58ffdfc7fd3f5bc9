// Package sub declares types used by value from another package of the module.
package sub

import "time"

const Width = 5

type Thing struct {
	Flag  bool
	When  time.Time
	Count uint64
	buf   [Width]byte
}

type Small struct {
	a, b int16
}
