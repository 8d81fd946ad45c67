"""Word in: existing Word policies imported as policy files, and an officer's Word edits of a
styrdok DOCX taken back into the source (`styrdok import`).

One module per concern: `wordfile` reads the Word structure, `headings` finds headings,
`metadata` harvests what the document says about itself, `body` turns pandoc's reading into
policy blocks, `markdown` writes the file, `into` is the round trip, `report` the import
report and `run` the command's stages (gather → convert in parallel → write).
"""
