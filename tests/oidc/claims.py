"""What the test provider says about its people: a person in the group ``unverified``
has an e-mail address the provider has not confirmed."""

UNVERIFIED = "unverified"


def userinfo(claims, user):
    claims["email"] = user.email
    claims["email_verified"] = not user.groups.filter(name=UNVERIFIED).exists()
    claims["given_name"] = user.first_name
    return claims
