"""Strict YAML for contributor files.

Built on libyaml's event stream (fast), so that everything risky is refused
*before* any value is constructed: anchors and aliases (no "billion laughs"),
tags such as !!python/object, duplicate keys, non-text keys. Timestamps stay
strings so the model can report an impossible date as a field problem.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCT = yaml.constructor.SafeConstructor()
_CONVERT = {
    "tag:yaml.org,2002:bool": _CONSTRUCT.construct_yaml_bool,
    "tag:yaml.org,2002:int": _CONSTRUCT.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCT.construct_yaml_float,
    "tag:yaml.org,2002:null": _CONSTRUCT.construct_yaml_null,
}

Path = tuple  # ("shift", "from") or ("reflection", 1)
MAX_NESTING = 20  # stories need 2 levels, data files 3; deeper is a mistake or an attack


class YamlError(Exception):
    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


@dataclass
class Parsed:
    data: Any
    # 1-based (line, col) of each value, and of each key under ("key", path)
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)


def _explain(err: yaml.MarkedYAMLError, char: str) -> str:
    problem = f"{err.context or ''} {err.problem or ''}".strip()
    if char == "\t":
        return "a tab character is used for indentation (indent with spaces only)"
    if "quoted scalar" in problem:
        return "a quotation mark is opened but never closed (add the closing quote or remove the opening one)"
    if "nesting depth" in problem:
        return ("lists or groups are nested too deeply (a story needs two levels at most; "
                "remove the extra brackets or indentation)")
    if "mapping values are not allowed" in problem:
        return 'a colon followed by a space inside a value (put the whole value in quotes: "like: this")'
    return f"this is not valid YAML: {problem} (check the quotes, colons and indentation on this line)"


def _scalar(event: yaml.ScalarEvent) -> Any:
    if event.style:  # quoted or block scalar: always text
        return event.value
    tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, (True, False))
    convert = _CONVERT.get(tag)
    return convert(yaml.ScalarNode(tag, event.value)) if convert else event.value


def _refuse_unsafe(event: yaml.Event, line: int, col: int) -> None:
    if isinstance(event, yaml.AliasEvent):
        raise YamlError(line, col, f"aliases (*{event.anchor}) are not allowed (write the value out in full)")
    anchor = getattr(event, "anchor", None)
    if anchor:
        raise YamlError(line, col, f"anchors (&{anchor}) are not allowed (remove &{anchor} and write values out in full)")
    tag = getattr(event, "tag", None)
    implicit = getattr(event, "implicit", True)
    if tag and tag != "!" and not (implicit is True or (isinstance(implicit, tuple) and any(implicit))):
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        raise YamlError(line, col, f"tags such as {shown} are not allowed (remove the tag; write plain text)")


def parse(text: str, line_offset: int = 0) -> Parsed:
    """Parse one YAML document; raise YamlError with a 1-based position."""
    parsed = Parsed(None)
    stack: list[list] = []  # frames: [container, path, pending_key or None]
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1 + line_offset
            col = event.start_mark.column + 1
            _refuse_unsafe(event, line, col)
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent,
                                  yaml.DocumentStartEvent, yaml.DocumentEndEvent)):
                if isinstance(event, yaml.DocumentStartEvent) and parsed.data is not None:
                    raise YamlError(line, col, "only one YAML document is allowed (remove the extra ---)")
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                done = stack.pop()
                _attach(stack, parsed, done[0], done[1], line, col)
                continue
            path = _child_path(stack)
            if isinstance(event, yaml.ScalarEvent):
                if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                    _take_key(stack[-1], event, parsed, line, col)
                    continue
                _attach(stack, parsed, _scalar(event), path, line, col)
            elif len(stack) >= MAX_NESTING:
                raise YamlError(line, col, f"lists or groups are nested more than {MAX_NESTING} levels deep "
                                           "(a story needs two at most; remove the extra brackets or indentation)")
            elif isinstance(event, yaml.MappingStartEvent):
                if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                    raise YamlError(line, col, "a key must be plain text (remove the braces or brackets before the colon)")
                parsed.positions[path] = (line, col)
                stack.append([{}, path, None])
            elif isinstance(event, yaml.SequenceStartEvent):
                if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                    raise YamlError(line, col, "a key must be plain text (remove the brackets before the colon)")
                parsed.positions[path] = (line, col)
                stack.append([[], path, None])
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        if "quoted scalar" in str(err.context) and err.context_mark:
            mark = err.context_mark  # point at the opening quote, not the end of the file
        lines = text.split("\n")
        char = lines[mark.line][mark.column:mark.column + 1] if mark.line < len(lines) else ""
        raise YamlError(mark.line + 1 + line_offset, mark.column + 1, _explain(err, char)) from None
    except yaml.reader.ReaderError as err:  # a control character: say where, on one line
        line, col = _reader_position(text, err.position)
        raise YamlError(line + line_offset, col,
                        f"the invisible character U+{err.character:04X} is not allowed "
                        "(delete it, or retype this line)") from None
    except yaml.YAMLError as err:  # anything else libyaml refuses
        raise YamlError(1 + line_offset, 1, f"this is not valid YAML: {err} (remove unusual characters)") from None
    finally:
        loader.dispose()
    return parsed


def _reader_position(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a reader error (libyaml counts UTF-8 bytes, PyYAML characters)."""
    if _Loader is not yaml.SafeLoader:
        text = text.encode("utf-8")[:position].decode("utf-8", "ignore")
    before = text[:position]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _child_path(stack: list[list]) -> Path:
    if not stack:
        return ()
    container, path, key = stack[-1]
    return path + ((key,) if isinstance(container, dict) else (len(container),))


def _take_key(frame: list, event: yaml.ScalarEvent, parsed: Parsed, line: int, col: int) -> None:
    key = event.value
    mapping, path = frame[0], frame[1]
    if key in mapping:
        first = parsed.positions.get(("key",) + path + (key,), (line, col))[0]
        raise YamlError(line, col, f'"{key}" appears twice (first on line {first}; keep only one)')
    frame[2] = key
    parsed.positions[("key",) + path + (key,)] = (line, col)


def _attach(stack: list[list], parsed: Parsed, value: Any, path: Path, line: int, col: int) -> None:
    parsed.positions.setdefault(path, (line, col))
    if not stack:
        parsed.data = value
        return
    frame = stack[-1]
    if isinstance(frame[0], dict):
        frame[0][frame[2]] = value
        frame[2] = None
    else:
        frame[0].append(value)
