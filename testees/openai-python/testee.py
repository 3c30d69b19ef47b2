"""openai-python's model of the session object, driven through the SDK's own entry points.

``lenient``: what ``client.beta.realtime.sessions.create()`` returns. The document is the
body of the HTTP response, served by an in-process transport; the SDK reads it with
``response.json()`` and builds ``SessionCreateResponse`` with ``construct_type``, which
does not validate (the SDK's default, ``_strict_response_validation=False``); the answer
is the model's own ``to_json()``.

``validate``: pydantic validation of the same model, ``SessionCreateResponse
.model_validate_json(text)``, answered with the model's own ``to_json()``.
"""

import sys
from pathlib import Path

import httpx2
import openai
import pydantic
from openai.types.beta.realtime import SessionCreateResponse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from python_testee import serve

# The SDK's model requires client_secret (with value and expires_at) and types voice as
# any string beside the named voices: the revision of 2025-03-22, which the run certifies
# against (claims.spec) unless --spec says otherwise.
SPEC = "2025-03-22"

IMPLEMENTATION = {
    "name": "openai-python",
    "version": openai.__version__,
    "language": "python",
    "homepage": "https://github.com/openai/openai-python",
}


def lenient_client():
    body = {}

    def respond(request):
        del request
        return httpx2.Response(
            200, content=body["text"], headers={"content-type": "application/json"}
        )

    client = openai.OpenAI(
        api_key="sk-conformance",
        max_retries=0,
        http_client=httpx2.Client(transport=httpx2.MockTransport(respond)),
    )

    def roundtrip(document):
        body["text"] = document.encode("utf-8")
        return client.beta.realtime.sessions.create().to_json(indent=None)

    return roundtrip


def validating(document):
    return SessionCreateResponse.model_validate_json(document).to_json(indent=None)


def main():
    if sys.argv[1:] == ["lenient"]:
        # No validation: unknown members kept; the body's JSON is read by the standard
        # library (json.JSONDecodeError is how the SDK refuses a body that is not JSON).
        claims = {"validation": "none", "unknown_members": "preserve", "spec": SPEC}
        return serve(IMPLEMENTATION, claims, lenient_client(), (ValueError,))
    claims = {"validation": "schema", "unknown_members": "preserve", "spec": SPEC}
    return serve(IMPLEMENTATION, claims, validating, (pydantic.ValidationError,))


if __name__ == "__main__":
    sys.exit(main())
