"""One module per flow of the conversation; each decides on a `Turn`, never on the store."""
