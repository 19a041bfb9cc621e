package telegramtest

import "nashra/bidi/biditest"

// checkLayoutLocked lays out a text the bot sent, edited in or answered a
// button with, as a phone does (package biditest), and keeps what a reader
// would see in the wrong order: a command shown as "topics/", an Arabic
// line turned left to right. New fails the test with them at its end.
func (s *Server) checkLayoutLocked(method, text string) {
	if s.skipLayout {
		return
	}
	for _, p := range biditest.Problems("", text) {
		s.layoutProblems = append(s.layoutProblems, method+" "+p)
	}
}

// LayoutProblems lists what readers would see in the wrong order in the
// texts the bot has sent so far (see Options.SkipLayoutCheck).
func (s *Server) LayoutProblems() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.layoutProblems...)
}
