// Package auth provides the security primitives of Paperboy's accounts:
// password hashing, random tokens stored only as hashes, session cookies,
// CSRF tokens and rate limits. It knows nothing about storage or HTTP routes.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's password storage cheat sheet minimum
// (m=19 MiB, t=2, p=1). About 25 ms a hash on this kind of machine.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Password length bounds: long passphrases are welcome, but not megabytes
// that would make hashing a denial of service.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 256
)

// ErrPasswordMismatch is returned by CheckPassword for a wrong password.
var ErrPasswordMismatch = errors.New("password does not match")

// hashSlots bounds concurrent hashes: each holds 19 MiB, so a burst of logins
// cannot exhaust memory; requests wait their turn (or give up with ctx).
var hashSlots = make(chan struct{}, max(2, runtime.NumCPU()))

func acquire(ctx context.Context) error {
	select {
	case hashSlots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for a password hashing slot: %w", ctx.Err())
	}
}

func release() { <-hashSlots }

// HashPassword returns an argon2id PHC string:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (unpadded base64).
func HashPassword(ctx context.Context, password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	if err := acquire(ctx); err != nil {
		return "", err
	}
	defer release()
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword compares password with a PHC string made by HashPassword (or
// with other argon2id parameters, so that they can be raised later). It
// returns ErrPasswordMismatch for a wrong password.
func CheckPassword(ctx context.Context, password, phc string) error {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return fmt.Errorf("password hash: not an argon2id PHC string")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return fmt.Errorf("password hash: unsupported argon2 version %q", parts[2])
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<21 {
		return fmt.Errorf("password hash: bad parameters %q", parts[3])
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return fmt.Errorf("password hash: salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return fmt.Errorf("password hash: key: bad encoding")
	}
	if err := acquire(ctx); err != nil {
		return err
	}
	defer release()
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrPasswordMismatch
	}
	return nil
}

// dummyHash is checked against when a login names no account, so that the
// answer takes as long as for a wrong password (no user enumeration by timing).
var dummyHash = func() string {
	h, err := HashPassword(context.Background(), "paperboy-timing-equaliser")
	if err != nil {
		panic(err)
	}
	return h
}()

// SpendPasswordCheck costs what a CheckPassword costs, and always fails.
func SpendPasswordCheck(ctx context.Context, password string) {
	_ = CheckPassword(ctx, password+"\x00", dummyHash)
}
