"""stories/story.schema.json: the front-matter model as JSON Schema, with the
allowed ids from the taxonomy, so editors can autocomplete and validate."""
from __future__ import annotations

import json
from pathlib import Path

from macros.read.handbook import load_taxonomy
from macros.read.model import FrontMatter, Taxonomy

SCHEMA_FILE = "stories/story.schema.json"


def story_schema(taxonomy: Taxonomy) -> dict:
    schema = FrontMatter.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Ripples story front matter"
    props = schema["properties"]
    props["chapter"]["enum"] = taxonomy.ids("chapters")
    for field, kind in (("domains", "domains"), ("themes", "themes"), ("content_notes", "content_notes")):
        props[field]["items"]["enum"] = taxonomy.ids(kind)
    for flag in ("permission", "deidentified", "others_deidentified"):
        schema["$defs"]["Consent"]["properties"][flag]["const"] = True
    return schema


def schema_text(root: Path) -> str:
    taxonomy, problems = load_taxonomy(root)
    if taxonomy is None:
        raise ValueError("; ".join(map(str, problems)))
    return json.dumps(story_schema(taxonomy), indent=2, ensure_ascii=False) + "\n"


def schema_command(args, root: Path, out) -> int:
    path = root / SCHEMA_FILE
    text = schema_text(root)
    if args.write:
        path.write_text(text, encoding="utf-8")
        print(f"wrote {SCHEMA_FILE}", file=out)
        return 0
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if current != text:
        print(f"{SCHEMA_FILE} is out of date with the model or taxonomy (run `make schema`)", file=out)
        return 1
    print(f"{SCHEMA_FILE} is up to date", file=out)
    return 0
