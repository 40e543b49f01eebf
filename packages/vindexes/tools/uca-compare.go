// Writes "<block> <utf8 hex> <x/text Loose key hex>" for random strings over 16 scripts (seeded), for uca-compare.ts.
package main

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

func main() {
	c := collate.New(language.English, collate.Loose)
	var buf collate.Buffer
	blocks := [][2]rune{{0x20, 0x7e}, {0xa0, 0x17f}, {0x300, 0x36f}, {0x370, 0x3ff}, {0x400, 0x4ff}, {0x590, 0x6ff}, {0x900, 0x97f}, {0xe00, 0xe7f}, {0xe80, 0xeff}, {0xf00, 0xfff}, {0x1100, 0x11ff}, {0x3040, 0x30ff}, {0x4e00, 0x4f00}, {0xac00, 0xac80}, {0x1f600, 0x1f64f}, {0xff00, 0xffef}}
	r := rand.New(rand.NewSource(1))
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for b := range blocks {
		for i := 0; i < 300; i++ {
			n := 1 + r.Intn(6)
			s := []rune{}
			for j := 0; j < n; j++ {
				bl := blocks[b]
				if r.Intn(4) == 0 { bl = blocks[r.Intn(len(blocks))] }
				s = append(s, bl[0]+rune(r.Intn(int(bl[1]-bl[0]+1))))
			}
			str := string(s)
			k := c.KeyFromString(&buf, str)
			fmt.Fprintf(w, "%d %x %x\n", b, []byte(str), k)
			buf.Reset()
		}
	}
}
