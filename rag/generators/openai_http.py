"""Any OpenAI-compatible server as the answer model: vLLM, llama.cpp's server, TGI, Ollama.

`OpenAIClient` is the HTTP side, shared with the in-process llama.cpp backend (llamacpp.py): it
lists the server's models and streams `/chat/completions` over server-sent events with httpx,
retrying with exponential backoff when the connection fails before the first token (never after:
a half-written answer is not sent twice). `OpenAIHTTPGenerator` is the Generator on top of it:
greedy decoding (temperature 0), `max_tokens`, `stop`, token counts from the server's `usage`
when it reports them (`stream_options.include_usage`), else from a word estimate.

Failures a person can fix become a `ModelError` with the fix in it: the server is down or the URL is
wrong, the API key is refused, the model name is not one the server has (the message lists those it has).
The API key is read from the environment (RAG_GENERATOR_API_KEY, then OPENAI_API_KEY), never from
Config, so it is never printed with the settings.
"""
from __future__ import annotations

import json
import os
import re
import time
from typing import Iterator

from rag.config import Config
from rag.errors import ModelError

# Tokens per word for English prose with a byte-level BPE vocabulary of ~50k entries (SmolLM2, Llama,
# GPT-2 style): used only until the server has reported a real count for some prompt.
TOKENS_PER_WORD = 1.35
# Answers sent to a server at once when it does not say how many it runs in parallel: vLLM and TGI
# batch far more, a llama.cpp server started without --parallel runs one (and says so in /props).
DEFAULT_SERVER_SLOTS = 4
_WORDS = re.compile(r"\w+|[^\w\s]")


def api_key_from_env() -> str | None:
    return os.environ.get("RAG_GENERATOR_API_KEY") or os.environ.get("OPENAI_API_KEY") or None


def normalize_base_url(url: str) -> str:
    """'http://host:8080' and 'http://host:8080/v1/' both mean the API root 'http://host:8080/v1'."""
    url = url.strip().rstrip("/")
    if "://" not in url:
        url = "http://" + url
    path = url.partition("://")[2].partition("/")[2]
    return url if path else url + "/v1"


def word_estimate(text: str) -> int:
    return max(1, round(len(_WORDS.findall(text)) * TOKENS_PER_WORD)) if text else 0


class ServerDown(ModelError):
    """The server could not be reached (refused, timed out connecting, closed before answering)."""


class Refused(ModelError):
    """The server refused the API key (HTTP 401/403)."""


class OpenAIClient:
    """A thread-safe client of one OpenAI-compatible server (one connection pool for all sessions)."""

    def __init__(self, base_url: str, *, api_key: str | None = None, connect_timeout: float = 3.0, read_timeout: float = 60.0,
                 retries: int = 2, backoff_s: float = 0.25, hint: str = "start it or unset RAG_GENERATOR_URL"):
        import httpx

        self.httpx = httpx
        self.base_url = normalize_base_url(base_url)
        self.retries, self.backoff_s, self.hint = max(0, retries), backoff_s, hint
        headers = {"Accept": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        # trust_env=False: a loopback or LAN model server must not be sent through an HTTP(S)_PROXY.
        self.http = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(connect=connect_timeout, read=read_timeout, write=read_timeout, pool=read_timeout),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
            trust_env=False,
        )

    # --- errors written for people

    def down(self, error: Exception) -> ServerDown:
        reason = f"{error.__class__.__name__}: {error}" if str(error) else error.__class__.__name__
        return ServerDown(f"Cannot reach the answer model server at {self.base_url}: {reason}; {self.hint}.")

    def _http_error(self, response, body: str, model: str | None = None) -> ModelError:
        status = response.status_code
        message = body
        try:
            parsed = json.loads(body)
            error = parsed.get("error", parsed) if isinstance(parsed, dict) else parsed
            message = error.get("message", body) if isinstance(error, dict) else str(error)
        except ValueError:
            pass
        message = " ".join(str(message).split())[:300]
        if status in (401, 403):
            return Refused(f"The answer model server at {self.base_url} refused the request (HTTP {status}: {message}). "
                              "Set its API key in RAG_GENERATOR_API_KEY (or OPENAI_API_KEY).")
        if model is not None and (status == 404 or "model" in message.lower() and status == 400):
            served = self._models_or_none()
            if served is not None and model not in served:
                return unknown_model(self.base_url, model, served)
        return ModelError(f"The answer model server at {self.base_url} answered HTTP {status}: {message}")

    # --- requests

    def _request(self, method: str, path: str, **kwargs):
        """One request with the retry policy; returns the response (any status)."""
        httpx = self.httpx
        for attempt in range(self.retries + 1):
            try:
                return self.http.request(method, self.base_url + path, **kwargs)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as error:
                if attempt == self.retries:
                    raise self.down(error) from error
                time.sleep(self.backoff_s * 2**attempt)
            except httpx.TimeoutException as error:
                raise self.down(error) from error

    def get_json(self, path: str):
        response = self._request("GET", path)
        if response.status_code >= 400:
            raise self._http_error(response, response.text)
        return response.json()

    def post_json(self, path: str, payload: dict):
        response = self._request("POST", path, json=payload)
        if response.status_code >= 400:
            raise self._http_error(response, response.text)
        return response.json()

    def models(self) -> list[dict]:
        """The server's models (`/models` entries: each has an `id`, and often `owned_by`)."""
        data = self.get_json("/models")
        entries = data.get("data", []) if isinstance(data, dict) else []
        return [entry for entry in entries if isinstance(entry, dict) and entry.get("id")]

    def _models_or_none(self) -> list[str] | None:
        try:
            return [entry["id"] for entry in self.models()]
        except (ModelError, ValueError):
            return None

    def stream_chat(self, payload: dict) -> Iterator[dict]:
        """POST /chat/completions with stream=True; yields each event's JSON.

        A failed connection is retried (with backoff) until the first event arrives; after it an error
        ends the stream with a ModelError. Closing the iterator early closes the connection, which tells
        the server to stop generating for this request.
        """
        httpx = self.httpx
        payload = dict(payload, stream=True)
        received = False
        for attempt in range(self.retries + 1):
            try:
                with self.http.stream("POST", self.base_url + "/chat/completions", json=payload, headers={"Accept": "text/event-stream"}) as response:
                    if response.status_code >= 400:
                        raise self._http_error(response, response.read().decode("utf-8", "replace"), payload.get("model"))
                    for line in response.iter_lines():
                        if not line.startswith("data:"):
                            continue  # comments (": ping"), event names, blank separators
                        data = line[5:].strip()
                        if data == "[DONE]":
                            return
                        try:
                            event = json.loads(data)
                        except ValueError:
                            continue
                        if isinstance(event, dict) and event.get("error"):
                            error = event["error"]
                            raise ModelError(f"The answer model server at {self.base_url} failed while answering: "
                                             f"{(error.get('message') if isinstance(error, dict) else error)}")
                        received = True
                        yield event
                    return
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError, httpx.ReadError) as error:
                if received:
                    raise ModelError(f"The answer model server at {self.base_url} closed the connection in the middle of the answer: {error}") from error
                if attempt == self.retries:
                    raise self.down(error) from error
                time.sleep(self.backoff_s * 2**attempt)
            except httpx.ReadTimeout as error:
                raise ModelError(f"The answer model server at {self.base_url} sent nothing for {self.http.timeout.read:g} s; "
                                 "it may be overloaded (raise RAG_GENERATOR_READ_TIMEOUT to wait longer).") from error

    def close(self) -> None:
        self.http.close()


def unknown_model(url: str, model: str, served: list[str]) -> ModelError:
    listed = ", ".join(served[:20]) + (f" (and {len(served) - 20} more)" if len(served) > 20 else "") if served else "no models"
    return ModelError(f"The answer model server at {url} has no model '{model}'. It serves: {listed}. "
                      "Set RAG_GENERATOR_API_MODEL to one of them, or leave it empty for the first.")


class OpenAIHTTPGenerator:
    """Streams chat completions from an OpenAI-compatible server."""

    backend = "openai"

    def __init__(self, client: OpenAIClient, model: str, config: Config, *, name: str | None = None, extra: dict | None = None, slots: int | None = None):
        self.client, self.model, self.config = client, model, config
        self.name = name or f"{model} at {client.base_url}"
        # Server-specific sampling fields sent with every request (e.g. llama.cpp's repeat_penalty).
        self.extra = dict(extra or {})
        # How many answers the server computes at once (None: unknown); the chat sizes its queue by it.
        self.slots = slots
        self.last_stats: dict = {}
        self._tokens_per_word = TOKENS_PER_WORD
        self._usage_supported = True

    # --- the Generator protocol

    def stream(self, messages: list[dict], max_new_tokens: int, stop: list[str] | None = None) -> Iterator[str]:
        started = time.perf_counter()
        payload = {"model": self.model, "messages": messages, "max_tokens": int(max_new_tokens), "temperature": 0, **self.extra}
        if stop:
            payload["stop"] = list(stop)
        if self._usage_supported:
            payload["stream_options"] = {"include_usage": True}
        prompt_words = sum(len(_WORDS.findall(str(m.get("content", "")))) for m in messages)
        stats = {"prompt_tokens": None, "new_tokens": 0, "first_token_s": None, "total_s": None}
        self.last_stats = stats
        pieces = 0
        events = None
        try:
            events = self.client.stream_chat(payload)
            try:
                first_event = next(events)
            except StopIteration:
                first_event = None
            except ModelError as error:
                if "stream_options" in str(error) and self._usage_supported:  # a server that refuses the field
                    self._usage_supported = False
                    payload.pop("stream_options")
                    events = self.client.stream_chat(payload)
                    first_event = next(events, None)
                else:
                    raise
            if first_event is not None:
                for event in _chain(first_event, events):
                    usage = event.get("usage")
                    if usage:
                        stats["prompt_tokens"] = usage.get("prompt_tokens", stats["prompt_tokens"])
                        stats["new_tokens"] = usage.get("completion_tokens", stats["new_tokens"])
                        stats["usage"] = True
                    if event.get("timings"):  # llama.cpp's own prefill/decode timings
                        stats["server_timings"] = event["timings"]
                    for choice in event.get("choices") or []:
                        text = (choice.get("delta") or {}).get("content") or choice.get("text") or ""
                        if text:
                            if stats["first_token_s"] is None:
                                stats["first_token_s"] = time.perf_counter() - started
                            pieces += 1
                            if not stats.get("usage"):
                                stats["new_tokens"] = pieces
                            yield text
                        if choice.get("finish_reason"):
                            stats["finish_reason"] = choice["finish_reason"]
        finally:
            if events is not None:
                events.close()  # a reader that stopped early closes the connection: the server stops this answer
            stats["total_s"] = time.perf_counter() - started
            if stats["prompt_tokens"] is None:
                stats["prompt_tokens"] = max(1, round(prompt_words * self._tokens_per_word))
            elif prompt_words:
                self._tokens_per_word = stats["prompt_tokens"] / prompt_words  # learn the server's tokenizer's rate

    def count_tokens(self, text: str) -> int:
        return max(1, round(len(_WORDS.findall(text)) * self._tokens_per_word)) if text else 0

    def close(self) -> None:
        self.client.close()


def _chain(first, rest):
    yield first
    yield from rest


def server_extras(owned_by: str, config: Config) -> dict:
    """Sampling fields a known server understands beyond the OpenAI ones, for the same answers as in process."""
    owned_by = (owned_by or "").lower()
    if "llama" in owned_by:  # llama.cpp's server: its repetition penalty, and reuse of the cached prompt prefix
        return {"repeat_penalty": config.llamacpp_repeat_penalty, "cache_prompt": True}
    if "vllm" in owned_by:
        return {"repetition_penalty": config.repetition_penalty}
    return {}


def load(config: Config) -> OpenAIHTTPGenerator:
    """The server at config.generator_url, with config.generator_api_model or the first model it lists."""
    if not config.generator_url:
        raise ModelError("The 'openai' answer model backend needs the server's address: set RAG_GENERATOR_URL (e.g. http://127.0.0.1:8080/v1).")
    client = OpenAIClient(config.generator_url, api_key=api_key_from_env(), connect_timeout=config.generator_connect_timeout,
                          read_timeout=config.generator_read_timeout, retries=config.generator_retries)
    try:
        entries = client.models()
    except (ServerDown, Refused):
        client.close()
        raise
    except ModelError:
        entries = []  # a server without /models: trust the configured name
    served = [entry["id"] for entry in entries]
    model = config.generator_api_model or (served[0] if served else "")
    if not model:
        client.close()
        raise ModelError(f"The answer model server at {client.base_url} lists no models; set RAG_GENERATOR_API_MODEL to the model's name.")
    if served and model not in served:
        client.close()
        raise unknown_model(client.base_url, model, served)
    owned_by = next((str(entry.get("owned_by", "")) for entry in entries if entry["id"] == model), "")
    return OpenAIHTTPGenerator(client, model, config, extra=server_extras(owned_by, config), slots=config.generator_slots or _server_slots(client))


def _server_slots(client: OpenAIClient) -> int:
    """llama.cpp's server says how many requests it runs at once (/props total_slots); others do not."""
    try:
        response = client.http.get(client.base_url.rsplit("/v1", 1)[0] + "/props", timeout=2.0)
        slots = int(response.json().get("total_slots") or 0) if response.status_code == 200 else 0
    except Exception:  # any server without /props
        slots = 0
    return slots or DEFAULT_SERVER_SLOTS
