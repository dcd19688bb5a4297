// Temporary driver until cmd/paperboy wires `paperboy bench` (not committed).
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	"strconv"
	"strings"

	"github.com/paperboy/paperboy/internal/bench"
	"github.com/paperboy/paperboy/internal/paper"
	"github.com/paperboy/paperboy/internal/web"
)

func main() {
	sizes := flag.String("sizes", "100000,1000000", "")
	dir := flag.String("dir", "", "")
	real := flag.Bool("real", false, "")
	via := flag.String("via", "", "")
	reqs := flag.Int("requests", 300, "")
	noweb := flag.Bool("noweb", false, "")
	fresh := flag.Bool("fresh", false, "")
	flag.Parse()
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(s)
		if err != nil {
			log.Fatal(err)
		}
		ns = append(ns, n)
	}
	o := bench.Options{Sizes: ns, Dir: *dir, Real: *real, Via: *via, Requests: *reqs, Fresh: *fresh}
	if !*noweb {
		o.Handler = func(st paper.Store) (http.Handler, error) {
			s, err := web.New(web.Config{Store: st})
			if err != nil {
				return nil, err
			}
			return s.Handler(), nil
		}
	}
	if _, err := bench.Run(context.Background(), o); err != nil {
		log.Fatal(err)
	}
}
