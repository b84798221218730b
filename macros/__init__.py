"""Ripples handbook pipeline.

stories/*.md -> load & validate (loader, validate) -> Story models (model)
-> pages and indexes (render, pages) -> MkDocs (hook, main) -> site/
"""
