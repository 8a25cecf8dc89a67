#!/bin/sh
# Adds Welcoming Communities CO to this user's application menu (no root needed): writes
# ~/.local/share/applications/welcoming-communities-co.desktop pointing at this folder's
# co-app, and the icon beside it.  Run it again after moving the folder; remove with
#   rm ~/.local/share/applications/welcoming-communities-co.desktop
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
mkdir -p "$apps" "$icons"
cp "$here/welcoming-communities-co.png" "$icons/welcoming-communities-co.png"
sed -e "s|^Exec=co-app|Exec=\"$here/co-app\"|" -e "s|^Icon=.*|Icon=$icons/welcoming-communities-co.png|" \
    "$here/co-app.desktop" > "$apps/welcoming-communities-co.desktop"
chmod 0644 "$apps/welcoming-communities-co.desktop"
echo "Added to the application menu: $apps/welcoming-communities-co.desktop"
