// Dumps the x/text (CLDR 23) English Loose collation key of every code point ("<cp hex> <key hex>"); with an
// argument, prints the keys and MD5s of the unicode_loose test vectors instead. Input of gen-uca-table.mjs.
package main

import (
	"bufio"
	"crypto/md5"
	"fmt"
	"os"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

func main() {
	c := collate.New(language.English, collate.Loose)
	var buf collate.Buffer
	if len(os.Args) > 1 {
		for _, s := range []string{"Test", "Bést", " Test", "Test\t", "TéstLooong", "T", "Te\u0301st"} {
			k := c.KeyFromString(&buf, s)
			fmt.Printf("%q %x %x\n", s, k, md5.Sum(k))
			buf.Reset()
		}
		return
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for r := rune(0); r <= 0x10FFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		k := c.KeyFromString(&buf, string(r))
		fmt.Fprintf(w, "%x %x\n", r, k)
		buf.Reset()
	}
}
