; Inno Setup 6 script: the Windows setup program of Welcoming Communities CO.
; WRITTEN AND REVIEWED, NOT YET RUN here: .github/workflows/windows.yml builds it on a
; Windows runner after PyInstaller (packaging\windows\co-app.spec) has filled
; dist\welcoming-communities-co\.  The version comes from co_app\__init__.py (the one place):
;   iscc /DAppVersion=0.1.0 packaging\windows\installer.iss
; Output: dist\welcoming-communities-co-<version>-windows-x64-setup.exe
;
; libVLC 3 travels inside the installed folder (libvlc.dll, libvlccore.dll, _internal\plugins\);
; the bundle's runtime hook sets VLC_PLUGIN_PATH (and python-vlc's PYTHON_VLC_LIB_PATH) to
; them when it starts, so an installed VLC, or none, makes no difference, and no system-wide
; environment variable is written.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\installer.iss
#endif
#define AppName "Welcoming Communities CO"
#define Bundle "welcoming-communities-co"

[Setup]
AppId={{7C1E1A52-3B7D-4E49-9C3B-5B0B6C0C0A11}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Welcoming Communities CO programme
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
; A facilitator without administrator rights can install for themselves only.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..\..
OutputDir=dist
OutputBaseFilename={#Bundle}-{#AppVersion}-windows-x64-setup
SetupIconFile=build\icon\{#Bundle}.ico
UninstallDisplayIcon={app}\co-app.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; The data folder (%LOCALAPPDATA%\welcoming-communities-co, or data\ beside a portable copy)
; is never removed by the uninstaller: it holds the attendance records.

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "dist\{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\co-app.exe"
Name: "{group}\{#AppName} (viewer for participants)"; Filename: "{app}\co-app.exe"; Parameters: "--kiosk"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\co-app.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\co-app.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
