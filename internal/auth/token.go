package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// NewToken returns a fresh random secret (256 bits, URL-safe) and the hash
// under which it is stored. The database only ever holds the hash, so a
// leaked database grants no sessions or password resets.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("auth: crypto/rand failed: " + err.Error()) // cannot happen on supported platforms
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the stored form of a token: hex SHA-256. A plain hash
// suffices because tokens are 256-bit random, not guessable passwords.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// mac is HMAC-SHA256 of msg under key, URL-safe.
func mac(key []byte, msg string) string {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// MAC is HMAC-SHA256 of msg under key, URL-safe base64: for tokens that the
// server can check without storing them.
func MAC(key []byte, msg string) string { return mac(key, msg) }
