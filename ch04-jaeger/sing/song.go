package sing

import "strings"

// Song is sing's work: one "la" per syllable of each word (a syllable here is a run of vowels),
// joined with dashes, words with spaces: "Ada reads" becomes "la-la la".
func Song(text string) string {
	var words []string
	for _, w := range strings.Fields(text) {
		n := syllables(w)
		if n == 0 {
			continue
		}
		words = append(words, strings.TrimSuffix(strings.Repeat("la-", n), "-"))
	}
	return strings.Join(words, " ")
}

func syllables(word string) int {
	n, inVowel := 0, false
	for _, r := range strings.ToLower(word) {
		vowel := strings.ContainsRune("aeiouy", r)
		if vowel && !inVowel {
			n++
		}
		inVowel = vowel
	}
	return n
}
