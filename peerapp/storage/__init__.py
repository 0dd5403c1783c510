"""SQLCipher storage: the profile folder, the encrypted database and its migrations."""
