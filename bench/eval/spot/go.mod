module example.com/eval/spot

go 1.21

require (
	github.com/blevesearch/zapx/v16 v16.1.8
	github.com/centrifugal/centrifuge-go v0.7.0
	github.com/olekukonko/errors v1.1.0
	github.com/qmuntal/stateless v1.5.0
)

require (
	github.com/RoaringBitmap/roaring v1.9.3 // indirect
	github.com/bits-and-blooms/bitset v1.12.0 // indirect
	github.com/blevesearch/bleve_index_api v1.1.12 // indirect
	github.com/blevesearch/go-faiss v1.0.23 // indirect
	github.com/blevesearch/mmap-go v1.0.4 // indirect
	github.com/blevesearch/scorch_segment_api/v2 v2.2.16 // indirect
	github.com/blevesearch/vellum v1.0.10 // indirect
	github.com/centrifugal/protocol v0.3.5 // indirect
	github.com/gogo/protobuf v1.3.1 // indirect
	github.com/golang/snappy v0.0.1 // indirect
	github.com/gorilla/websocket v1.4.2 // indirect
	github.com/jpillora/backoff v1.0.0 // indirect
	github.com/mschoch/smat v0.2.0 // indirect
	golang.org/x/sys v0.13.0 // indirect
)
