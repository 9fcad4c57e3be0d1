// Package fault is Outpost's one error type: a kind that drives behaviour, a
// stable code that the UI turns into words, the operation, parameters and the
// wrapped cause.
package fault

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Kind classifies an error by what the caller can do about it.
type Kind uint8

// Kinds, in the spirit of upspin's errors package. The zero value is Internal:
// an error nobody classified is a bug, not the user's fault.
const (
	Internal    Kind = iota // a bug or an unexpected state
	Invalid                 // the input is wrong; fix it and try again
	NotFound                // the thing does not exist
	Permission              // not allowed
	Conflict                // clashes with the current state (locked, exists, stale)
	Transient               // temporary; retrying later may work (network, busy)
	Corrupt                 // stored or received data is damaged or tampered with
	Unavailable             // a resource is missing: disk full, no keychain, no display
	Canceled                // the user or the caller stopped it
)

var kindNames = [...]string{
	Internal:    "internal",
	Invalid:     "invalid",
	NotFound:    "not_found",
	Permission:  "permission",
	Conflict:    "conflict",
	Transient:   "transient",
	Corrupt:     "corrupt",
	Unavailable: "unavailable",
	Canceled:    "canceled",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// MarshalText writes the kind's name, so JSON carries "invalid", not 1.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads a kind's name.
func (k *Kind) UnmarshalText(b []byte) error {
	for i, n := range kindNames {
		if n == string(b) {
			*k = Kind(i)
			return nil
		}
	}
	return fmt.Errorf("fault: unknown kind %q", b)
}

// Code is a stable, dotted identifier of one failure, such as
// "settings.hub_url_invalid". Codes are i18n keys: never reword one.
type Code string

// CodeInternal is the code of an error that carries no code of its own.
const CodeInternal Code = "internal"

// Error is the error type of every backend package.
type Error struct {
	Kind   Kind
	Code   Code
	Op     string            // the operation, "package.Function"
	Params map[string]string // values the message names, e.g. {"path": "..."}
	Err    error             // the cause, if any
}

// New returns an error of the given kind and code raised by op.
func New(kind Kind, code Code, op string) *Error {
	return &Error{Kind: kind, Code: code, Op: op}
}

// With adds a parameter that the localized message can name.
func (e *Error) With(key string, value any) *Error {
	if e.Params == nil {
		e.Params = make(map[string]string)
	}
	e.Params[key] = fmt.Sprint(value)
	return e
}

// Wrap records the cause.
func (e *Error) Wrap(err error) *Error {
	e.Err = err
	return e
}

// Error reads "op: code (k=v, ...): cause" for logs and developers.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(string(e.Code))
	if len(e.Params) > 0 {
		keys := make([]string, 0, len(e.Params))
		for k := range e.Params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString(" (")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s=%q", k, e.Params[k])
		}
		b.WriteString(")")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// As returns the outermost *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// KindOf returns the kind of the outermost *Error in err's chain, Internal if
// there is none.
func KindOf(err error) Kind {
	if e, ok := As(err); ok {
		return e.Kind
	}
	return Internal
}

// CodeOf returns the code of the outermost *Error in err's chain,
// CodeInternal if there is none.
func CodeOf(err error) Code {
	if e, ok := As(err); ok {
		return e.Code
	}
	return CodeInternal
}

// Is reports whether err's chain holds an *Error with this code.
func Is(err error, code Code) bool {
	for err != nil {
		if e, ok := err.(*Error); ok && e.Code == code {
			return true
		}
		err = errors.Unwrap(err)
	}
	return false
}

// Payload is an error as the UI receives it: the UI translates Code with
// Params and shows Detail only in a "details" disclosure.
type Payload struct {
	Kind   string            `json:"kind"` // Kind.String(): "invalid", "conflict", ...
	Code   Code              `json:"code"`
	Op     string            `json:"op,omitempty"`
	Params map[string]string `json:"params,omitempty"`
	Detail string            `json:"detail"`
}

// ToPayload describes any error for the UI. An error without an *Error in its
// chain becomes kind internal, code "internal".
func ToPayload(err error) Payload {
	if err == nil {
		return Payload{}
	}
	e, ok := As(err)
	if !ok {
		return Payload{Kind: Internal.String(), Code: CodeInternal, Detail: err.Error()}
	}
	return Payload{Kind: e.Kind.String(), Code: e.Code, Op: e.Op, Params: e.Params, Detail: err.Error()}
}

// JSON encodes ToPayload(err). It never fails: the payload holds only
// strings.
func JSON(err error) string {
	b, _ := json.Marshal(ToPayload(err))
	return string(b)
}
