package common

import (
	"reflect"

	"github.com/viaa/ppp/domain"
)

// Normalized returns s with every service that holds a nil pointer (or
// another nil value behind a non-nil interface) set to nil. An optional
// service left out hides its screens only when it is nil: a
// (*storage.IMKService)(nil) passed on by a caller would otherwise show
// a screen whose every call panics.
func (s Services) Normalized() Services {
	v := reflect.ValueOf(&s).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Kind() != reflect.Interface || f.IsNil() {
			continue
		}
		switch e := f.Elem(); e.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.Interface:
			if e.IsNil() {
				f.SetZero()
			}
		}
	}
	return s
}

// Queues returns the services whose items a session can hold claims on:
// every service of s that gives a session's claims back
// (domain.SessionClaims). The server calls each when a session ends, so a
// new queue's claims are given back without a line of its own.
func (s Services) Queues() []domain.SessionClaims {
	var out []domain.SessionClaims
	v := reflect.ValueOf(s.Normalized())
	for i := range v.NumField() {
		if q, ok := v.Field(i).Interface().(domain.SessionClaims); ok {
			out = append(out, q)
		}
	}
	return out
}
