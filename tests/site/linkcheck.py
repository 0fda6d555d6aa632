#!/usr/bin/env python3
"""Checks a built site: every internal link, image, stylesheet and feed
reference resolves to a written file, and no page carries dangerous markup.

    linkcheck.py SITE_DIR BASE_PATH

Prints one line per problem and exits 1 if there is any.
"""
import html.parser
import os
import sys
import urllib.parse

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text")


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs = []
        self.ids = []
        self.problems = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler attribute {name} on <{tag}>")
            if name in ("href", "src") and value is not None:
                if value.strip().lower().startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"dangerous URL {value!r} in <{tag}>")
                self.refs.append(value)
            if name == "id":
                self.ids.append(value)
        if tag in ("script", "iframe", "object", "embed"):
            self.problems.append(f"<{tag}> element")


def target_file(site, base_path, url, page_path):
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme or parsed.netloc or url.startswith("#") or url.startswith("mailto:"):
        return None
    path = urllib.parse.unquote(parsed.path)
    if not path:
        return None
    if path.startswith("/"):
        if not path.startswith(base_path):
            return ("outside", path)
        rel = path[len(base_path):]
    else:
        rel = os.path.normpath(os.path.join(os.path.dirname(page_path), path))
    full = os.path.join(site, rel)
    if rel == "" or rel.endswith("/") or os.path.isdir(full):
        full = os.path.join(full, "index.html")
    return ("file", full)


def main():
    site, base_path = sys.argv[1], sys.argv[2]
    problems = 0
    pages = 0
    for root, _, files in os.walk(site):
        for name in files:
            if not name.endswith(".html"):
                continue
            pages += 1
            path = os.path.join(root, name)
            rel_page = os.path.relpath(path, site)
            parser = Links()
            with open(path, encoding="utf-8") as f:
                parser.feed(f.read())
            for p in parser.problems:
                print(f"{rel_page}: {p}")
                problems += 1
            dup = {i for i in parser.ids if parser.ids.count(i) > 1}
            for i in sorted(dup):
                print(f"{rel_page}: duplicate id {i!r}")
                problems += 1
            for ref in parser.refs:
                t = target_file(site, base_path, ref, rel_page)
                if t is None:
                    continue
                kind, target = t
                if kind == "outside":
                    print(f"{rel_page}: link {ref!r} is outside the site path {base_path}")
                    problems += 1
                elif not os.path.isfile(target):
                    print(f"{rel_page}: broken link {ref!r}")
                    problems += 1
    if pages == 0:
        print("no pages found")
        problems += 1
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
