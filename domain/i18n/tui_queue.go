package i18n

// The queue component (package tui/components/queue) that the role
// requests, IMK and the helpdesk are built on: what it says the same way
// on every queue. Keys start with "tui.queue."; each screen's own words
// (its items' names, who holds one) stay in its own file.
func init() {
	register(map[string][2]string{
		"tui.queue.you":     {"jūs", "you"},
		"tui.queue.page":    {"%d. lapa", "page %d"},
		"tui.queue.opening": {"Atver…", "Opening…"},

		"tui.queue.why.busy":     {"Iepriekšējā darbība vēl nav pabeigta.", "The previous action has not finished yet."},
		"tui.queue.why.claiming": {"Ņem darbā… mirkli.", "Taking it… a moment."},

		"tui.queue.key.open":         {"atvērt", "open"},
		"tui.queue.key.take_next":    {"paņemt nākamo gaidošo", "take the next waiting"},
		"tui.queue.key.search":       {"meklēt", "search"},
		"tui.queue.key.next":         {"nākamā lapa", "next page"},
		"tui.queue.key.prev":         {"iepriekšējā lapa", "previous page"},
		"tui.queue.key.clear":        {"notīrīt filtrus", "clear filters"},
		"tui.queue.key.clear_search": {"notīrīt meklēšanu", "clear search"},
		"tui.queue.key.back_cycle":   {"filtrs atpakaļ", "filter backwards"},
		"tui.queue.key.leave":        {"iziet no lauka", "leave the field"},
		"tui.queue.key.scroll":       {"ritināt", "scroll"},
		"tui.queue.key.claim":        {"paņemt darbā", "claim"},
		"tui.queue.key.close":        {"atpakaļ (atlaist)", "back (release)"},
		"tui.queue.short.back":       {"atpakaļ", "back"},

		// The helpdesk's filter line, as the queue component draws it.
		"tui.hd.filter.state":          {"Statuss: %s", "State: %s"},
		"tui.hd.filter.category":       {"Kategorija: %s", "Category: %s"},
		"tui.hd.filter.all_categories": {"visas", "all"},
	})
}
