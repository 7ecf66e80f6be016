"""Signing in: passwords with a second factor for staff, and single sign-on through
OpenID Connect providers (docs/architecture.md, "Sign-in")."""
