"""Small reusable widgets shared by the dialogs and the main window."""
