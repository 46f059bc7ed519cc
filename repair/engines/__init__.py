"""The slow components: the LanguageTool server and client, and one of each per process."""
