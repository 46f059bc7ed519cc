"""Reading an article in any accepted format, decoding, cleaning and splitting it into sentences."""
