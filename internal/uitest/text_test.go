package uitest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestText(t *testing.T) {
	dom := `<html><head><style>.a{}</style><script>var x = "<b>";</script></head>
<!-- a comment --><body><div class="item"><span>Services</span><span>5</span></div><svg><path d="M0"/></svg><p>Tom &amp; Jerry</p></body></html>`
	assert.Equal(t, "Services 5 Tom & Jerry", Text(dom))
}

func TestPageArgs(t *testing.T) {
	args := Page{URL: "http://x"}.args("/tmp/p")
	assert.Contains(t, args, "--window-size=1400,900")
	assert.Contains(t, args, "--virtual-time-budget=8000")
	assert.Contains(t, args, "--user-data-dir=/tmp/p")
	args = Page{Width: 800, Height: 600, Budget: 100}.args("d")
	assert.Contains(t, args, "--window-size=800,600")
	assert.Contains(t, args, "--virtual-time-budget=100")
}

func TestChromiumMissingSaysHowToGetIt(t *testing.T) {
	t.Setenv("CHROMIUM", "/nonexistent/chromium")
	_, err := Chromium()
	assert.ErrorContains(t, err, "apt-get install -y chromium")
}

func TestStartChainWithoutTheUISaysHowToBuildIt(t *testing.T) {
	_, err := StartChain(t.Context(), t.TempDir(), true, nil)
	assert.ErrorContains(t, err, "run make jaeger-ui")
}
