// Re-exports only; each AWS concept lives in its own folder.
