"""Bearer credentials: the static API token, HS256 JWTs and RS256 JWTs over a JWKS."""

from __future__ import annotations

import hmac
import re
from typing import Any

from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import OctKey
from joserfc.jws import extract_compact

from core.auth.identity import AuthenticationError, Identity, identity_from_claims
from core.auth.jwks import JwksSource
from core.config import Settings

JWT_SHAPE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
LEEWAY_SECONDS = 30
STATIC_TOKEN_SUBJECT = "api-token"


class BearerVerifier:
    """Turns a bearer token into an Identity, or says why it cannot."""

    def __init__(self, settings: Settings, jwks: JwksSource | None = None) -> None:
        self.settings = settings
        self.jwks = jwks or JwksSource(
            inline=settings.oidc_jwks, path=settings.oidc_jwks_path, url=settings.oidc_jwks_url
        )
        prod = settings.is_prod
        # Production accepts RS256 over a JWKS only, whatever else is configured.
        self.static_token = None if prod else settings.api_token
        self.hs256_secret = None if prod else settings.oidc_hs256_secret
        self.algorithms: dict[str, Any] = {}
        if self.hs256_secret:
            self.algorithms["HS256"] = OctKey.import_key(self.hs256_secret)
        if self.jwks.configured:
            self.algorithms["RS256"] = self.jwks

    @property
    def configured(self) -> bool:
        return bool(self.static_token or self.algorithms)

    def verify(self, token: str) -> Identity:
        if self.algorithms and JWT_SHAPE.match(token):
            return self._verify_jwt(token)
        if self.static_token and hmac.compare_digest(token.encode(), self.static_token.encode()):
            return Identity(subject=STATIC_TOKEN_SUBJECT, role=self.settings.api_role)
        if self.algorithms and not self.static_token:
            raise AuthenticationError("The bearer token is not a JWT")
        raise AuthenticationError("Invalid bearer token")

    def _verify_jwt(self, token: str) -> Identity:
        try:
            header = extract_compact(token.encode()).protected
        except (JoseError, ValueError) as exc:
            raise AuthenticationError("The bearer token is not a well-formed JWT") from exc
        algorithm = header.get("alg")
        if algorithm not in self.algorithms:
            raise AuthenticationError(f"Tokens signed with {algorithm!r} are not accepted")
        key = self.algorithms[algorithm]
        if isinstance(key, JwksSource):
            kid = header.get("kid")
            key = key.key_set_for(kid)
            if kid is not None and kid not in {k.kid for k in key.keys}:
                raise AuthenticationError(f"No signing key with kid {kid!r}")
        try:
            decoded = jwt.decode(token, key, algorithms=[algorithm])
            self._claims_registry().validate(decoded.claims)
        except BadSignatureError as exc:
            raise AuthenticationError("The token signature is invalid") from exc
        except ExpiredTokenError as exc:
            raise AuthenticationError("The token has expired") from exc
        except (InvalidClaimError, MissingClaimError) as exc:
            raise AuthenticationError(f"The token was refused: {exc.description}") from exc
        except InvalidKeyIdError as exc:
            raise AuthenticationError("No signing key matches the token") from exc
        except JoseError as exc:
            raise AuthenticationError("The token could not be verified") from exc
        return identity_from_claims(decoded.claims)

    def _claims_registry(self) -> jwt.JWTClaimsRegistry:
        options: dict[str, Any] = {}
        if self.settings.oidc_issuer:
            options["iss"] = {"essential": True, "value": self.settings.oidc_issuer}
        if self.settings.oidc_audience:
            options["aud"] = {"essential": True, "value": self.settings.oidc_audience}
        if self.settings.is_prod:
            options["exp"] = {"essential": True}
        return jwt.JWTClaimsRegistry(leeway=LEEWAY_SECONDS, **options)
