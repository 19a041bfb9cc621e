package telegramtest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// Limits of the Bot API on text, measured after entity parsing. Telegram
// counts code points; the fake counts UTF-16 code units, which is never less,
// so a text the fake accepts is accepted by Telegram too.
const (
	maxTextLen    = 4096
	maxCaptionLen = 1024
	maxRawText    = 32768 // bytes of text before parsing
)

// rendered is a text as Telegram stores it: markup removed, entities aside.
type rendered struct {
	text     string
	entities []models.MessageEntity
}

// parseError is a markup error; its text follows "can't parse entities: ".
type parseError struct{ msg string }

func (e *parseError) Error() string { return e.msg }

func parseErrorf(format string, args ...any) error {
	return &parseError{msg: fmt.Sprintf(format, args...)}
}

// utf16Len is the length of s in UTF-16 code units, the unit of entity
// offsets and of the fake's length limits.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += runeLen16(r)
	}
	return n
}

func runeLen16(r rune) int {
	if n := utf16.RuneLen(r); n > 0 {
		return n
	}
	return 1
}

// htmlTags are the tags Telegram's HTML parse mode understands.
var htmlTags = map[string]models.MessageEntityType{
	"b":          models.MessageEntityTypeBold,
	"strong":     models.MessageEntityTypeBold,
	"i":          models.MessageEntityTypeItalic,
	"em":         models.MessageEntityTypeItalic,
	"u":          models.MessageEntityTypeUnderline,
	"ins":        models.MessageEntityTypeUnderline,
	"s":          models.MessageEntityTypeStrikethrough,
	"strike":     models.MessageEntityTypeStrikethrough,
	"del":        models.MessageEntityTypeStrikethrough,
	"span":       models.MessageEntityTypeSpoiler,
	"tg-spoiler": models.MessageEntityTypeSpoiler,
	"a":          models.MessageEntityTypeTextLink,
	"code":       models.MessageEntityTypeCode,
	"pre":        models.MessageEntityTypePre,
	"blockquote": models.MessageEntityTypeBlockquote,
	"tg-emoji":   models.MessageEntityTypeCustomEmoji,
}

type openTag struct {
	name   string
	start  int // UTF-16 offset in the visible text
	entity models.MessageEntity
	skip   bool // produces no entity of its own
}

// parseHTML parses text in Telegram's HTML parse mode. It is stricter than
// Telegram in one way: a '&' that does not start a known entity is an error
// (Telegram shows it literally), because it means a string went in unescaped.
func parseHTML(s string) (rendered, error) {
	var (
		b     strings.Builder
		ents  []models.MessageEntity
		stack []openTag
		pos   int
	)
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			if i+1 < len(s) && s[i+1] == '/' {
				j := strings.IndexByte(s[i:], '>')
				if j < 0 {
					return rendered{}, parseErrorf("Unclosed end tag at byte offset %d", i)
				}
				name := strings.ToLower(strings.TrimSpace(s[i+2 : i+j]))
				if len(stack) == 0 {
					return rendered{}, parseErrorf("Unexpected end tag at byte offset %d", i)
				}
				top := stack[len(stack)-1]
				if name != "" && name != top.name {
					return rendered{}, parseErrorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, top.name, name)
				}
				stack = stack[:len(stack)-1]
				if !top.skip && pos > top.start {
					e := top.entity
					e.Offset, e.Length = top.start, pos-top.start
					ents = append(ents, e)
				}
				i += j + 1
				continue
			}
			tag, next, err := parseStartTag(s, i, stack)
			if err != nil {
				return rendered{}, err
			}
			tag.start = pos
			stack = append(stack, tag)
			i = next
		case '&':
			r, n, ok := htmlEntity(s[i:])
			if !ok {
				return rendered{}, parseErrorf("Character '&' at byte offset %d must be escaped as \"&amp;\"", i)
			}
			b.WriteRune(r)
			pos += runeLen16(r)
			i += n
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			b.WriteString(s[i : i+n])
			pos += runeLen16(r)
			i += n
		}
	}
	if len(stack) > 0 {
		return rendered{}, parseErrorf("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].name)
	}
	sort.SliceStable(ents, func(i, j int) bool {
		if ents[i].Offset != ents[j].Offset {
			return ents[i].Offset < ents[j].Offset
		}
		return ents[i].Length > ents[j].Length
	})
	return rendered{text: b.String(), entities: ents}, nil
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

func isAttrNameByte(c byte) bool {
	return c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// parseStartTag reads the tag that starts at s[i] == '<'.
func parseStartTag(s string, i int, stack []openTag) (openTag, int, error) {
	j := i + 1
	for j < len(s) && !isHTMLSpace(s[j]) && s[j] != '>' {
		j++
	}
	if j >= len(s) {
		return openTag{}, 0, parseErrorf("Unclosed start tag at byte offset %d", i)
	}
	name := strings.ToLower(s[i+1 : j])
	typ, ok := htmlTags[name]
	if !ok {
		return openTag{}, 0, parseErrorf("Unsupported start tag \"%s\" at byte offset %d", name, i)
	}
	attrs := map[string]string{}
	for {
		for j < len(s) && isHTMLSpace(s[j]) {
			j++
		}
		if j >= len(s) {
			return openTag{}, 0, parseErrorf("Unclosed start tag at byte offset %d", i)
		}
		if s[j] == '>' {
			j++
			break
		}
		k := j
		for k < len(s) && isAttrNameByte(s[k]) {
			k++
		}
		if k == j {
			return openTag{}, 0, parseErrorf("Empty attribute name in the tag \"%s\" at byte offset %d", name, j)
		}
		attr := strings.ToLower(s[j:k])
		j = k
		for j < len(s) && isHTMLSpace(s[j]) {
			j++
		}
		if j >= len(s) || s[j] != '=' {
			attrs[attr] = ""
			continue
		}
		j++
		for j < len(s) && isHTMLSpace(s[j]) {
			j++
		}
		if j >= len(s) {
			return openTag{}, 0, parseErrorf("Unclosed start tag at byte offset %d", i)
		}
		var raw string
		if q := s[j]; q == '"' || q == '\'' {
			end := strings.IndexByte(s[j+1:], q)
			if end < 0 {
				return openTag{}, 0, parseErrorf("Unclosed start tag at byte offset %d", i)
			}
			raw = s[j+1 : j+1+end]
			j += end + 2
		} else {
			k = j
			for k < len(s) && !isHTMLSpace(s[k]) && s[k] != '>' {
				k++
			}
			raw, j = s[j:k], k
		}
		val, err := decodeAttr(raw, j)
		if err != nil {
			return openTag{}, 0, err
		}
		attrs[attr] = val
	}

	tag := openTag{name: name, entity: models.MessageEntity{Type: typ}}
	switch name {
	case "span":
		if attrs["class"] != "tg-spoiler" {
			return openTag{}, 0, parseErrorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", i)
		}
	case "a":
		tag.entity.URL = attrs["href"]
		tag.skip = tag.entity.URL == ""
	case "code":
		if n := len(stack); n > 0 && stack[n-1].name == "pre" && strings.HasPrefix(attrs["class"], "language-") {
			stack[n-1].entity.Language = strings.TrimPrefix(attrs["class"], "language-")
			tag.skip = true
		}
	case "blockquote":
		if _, ok := attrs["expandable"]; ok {
			tag.entity.Type = models.MessageEntityTypeExpandableBlockquote
		}
	case "tg-emoji":
		id := attrs["emoji-id"]
		if id == "" {
			return openTag{}, 0, parseErrorf("Tag \"tg-emoji\" must have attribute \"emoji-id\" at byte offset %d", i)
		}
		tag.entity.CustomEmojiID = id
	}
	return tag, j, nil
}

func decodeAttr(raw string, at int) (string, error) {
	if !strings.Contains(raw, "&") {
		return raw, nil
	}
	var b strings.Builder
	for i := 0; i < len(raw); {
		if raw[i] != '&' {
			b.WriteByte(raw[i])
			i++
			continue
		}
		r, n, ok := htmlEntity(raw[i:])
		if !ok {
			return "", parseErrorf("Character '&' in an attribute value before byte offset %d must be escaped as \"&amp;\"", at)
		}
		b.WriteRune(r)
		i += n
	}
	return b.String(), nil
}

// htmlEntity decodes the entity at the start of s (s[0] == '&'): the four
// named ones Telegram knows and numeric ones.
func htmlEntity(s string) (rune, int, bool) {
	end := strings.IndexByte(s, ';')
	if end < 2 || end > 10 {
		return 0, 0, false
	}
	name := s[1:end]
	switch name {
	case "lt":
		return '<', end + 1, true
	case "gt":
		return '>', end + 1, true
	case "amp":
		return '&', end + 1, true
	case "quot":
		return '"', end + 1, true
	}
	if name[0] != '#' || len(name) < 2 {
		return 0, 0, false
	}
	var (
		v   uint64
		err error
	)
	if name[1] == 'x' || name[1] == 'X' {
		v, err = strconv.ParseUint(name[2:], 16, 32)
	} else {
		v, err = strconv.ParseUint(name[1:], 10, 32)
	}
	r := rune(v)
	if err != nil || v == 0 || !utf8.ValidRune(r) {
		return 0, 0, false
	}
	return r, end + 1, true
}

// unescapeMarkdown gives the visible length of a MarkdownV2 or Markdown text
// approximately: escapes are removed, entity markers are kept. The fake does
// not validate Markdown.
func unescapeMarkdown(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && s[i+1] >= 1 && s[i+1] <= 126 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
