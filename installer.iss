; Subtitle Studio's Windows installer (Inno Setup 6).
;
; It packs the PyInstaller one-folder build (subtitle-studio.spec; dist\SubtitleStudio by
; default). Compile it with our script, which passes the version from the package:
;
;     python tools/compile_installer.py                 # Windows: writes build\installer\*.exe
;     python tools/compile_installer.py --check         # compile without writing a setup
;
; or by hand: ISCC /DAppVersion=<subtitle_studio.__version__> installer.iss (the script
; stops with an error without it).
;
; Defines (ISCC /D<name>=<value>):
;   AppVersion  required: the package's version, never typed here a second time.
;   BuildDir    the frozen one-folder build to pack (default dist\SubtitleStudio).
;   AppExeName  the main executable's name inside BuildDir (default SubtitleStudio.exe).
;               It is always installed as SubtitleStudio.exe. CI compiles this script
;               under wine against the Linux frozen build, whose executable is named
;               "SubtitleStudio" with no .exe suffix: the test passes that name
;               (tests/delivery/test_installer.py), which proves every file named here
;               exists without a Windows build.
;
; Per-user install by default (no administrator rights needed, {autopf} is
; %LOCALAPPDATA%\Programs); the dialog at start, or /ALLUSERS on the command line, installs
; for all users instead. HKA below is HKCU or HKLM to match.

#ifndef AppVersion
  #error AppVersion is not defined: compile with tools/compile_installer.py, or ISCC /DAppVersion=<subtitle_studio.__version__> installer.iss
#endif
#ifndef BuildDir
  #define BuildDir "dist\SubtitleStudio"
#endif
#ifndef AppExeName
  #define AppExeName "SubtitleStudio.exe"
#endif

#define AppName "Subtitle Studio"
#define InstalledExe "SubtitleStudio.exe"
; The folder under %LOCALAPPDATA% where the application keeps the user's jobs, models,
; settings and logs: platformdirs' user data, config and log folders for "SubtitleStudio"
; (subtitle_studio/core/paths.py) are all inside it on Windows.
#define UserDataFolder "SubtitleStudio"

[Setup]
; Fixed for ever: Windows knows an installed Subtitle Studio by it (upgrades, uninstall).
AppId={{1065A91F-BE17-4699-AB3C-269BA93266A4}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
; PyInstaller's build of a 64-bit Python: 64-bit Windows 10 or later (Qt 6's minimum).
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
ChangesAssociations=yes
SetupIconFile=resources\icons\subtitle-studio.ico
UninstallDisplayIcon={app}\{#InstalledExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
ShowLanguageDialog=auto
Compression=lzma2/max
SolidCompression=yes
OutputDir=build\installer
OutputBaseFilename=SubtitleStudio-{#AppVersion}-setup
; Closes a running Subtitle Studio (it pauses its job on close) before replacing files.
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
; Inno Setup ships no Simplified Chinese: ours, written for this project.
Name: "zh_CN"; MessagesFile: "installer\ChineseSimplified.isl"

[CustomMessages]
en.AssocGroup=File types:
zh_CN.AssocGroup=文件类型：
en.AssocSubtitles=Open &subtitle files (.srt, .vtt, .ass) with %1
zh_CN.AssocSubtitles=用 %1 打开字幕文件（.srt、.vtt、.ass）(&S)
en.MediaFileType=Video or audio file
zh_CN.MediaFileType=视频或音频文件
en.SrtFileType=SubRip subtitles
zh_CN.SrtFileType=SubRip 字幕
en.VttFileType=WebVTT subtitles
zh_CN.VttFileType=WebVTT 字幕
en.AssFileType=Advanced SubStation Alpha subtitles
zh_CN.AssFileType=ASS 高级字幕
en.RemoveUserData=Also delete your Subtitle Studio data: every job (transcriptions, edits, decoded audio), the downloaded models, the settings and the logs?%n%n%1%n%nChoose No to keep them: installing Subtitle Studio again finds them where they are.
zh_CN.RemoveUserData=是否同时删除您的 Subtitle Studio 数据：所有任务（转录结果、编辑内容、解码的音频）、已下载的模型、设置和日志？%n%n%1%n%n选择“否”则保留这些数据：再次安装 Subtitle Studio 后可以继续使用。

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "associate"; Description: "{cm:AssocSubtitles,{#AppName}}"; GroupDescription: "{cm:AssocGroup}"

[Files]
; The main executable first, under its Windows name whatever it is called in BuildDir.
Source: "{#BuildDir}\{#AppExeName}"; DestDir: "{app}"; DestName: "{#InstalledExe}"; Flags: ignoreversion
Source: "{#BuildDir}\*"; Excludes: "\{#AppExeName}"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "resources\icons\subtitle-studio.ico"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#InstalledExe}"; IconFilename: "{app}\subtitle-studio.ico"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#InstalledExe}"; IconFilename: "{app}\subtitle-studio.ico"; Tasks: desktopicon

[Registry]
; "Open with Subtitle Studio" for common video and audio files (each one is also in
; subtitle_studio/core/media_types.py). Applications\<exe> is how Windows lists the program
; in "Open with"; SupportedTypes limits that to these types. OpenWithProgids adds it to each
; type's own "Open with" list without taking the type's default program.
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\DefaultIcon"; ValueType: string; ValueData: "{app}\subtitle-studio.ico"
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\shell\open\command"; ValueType: string; ValueData: """{app}\{#InstalledExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".mp4"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".m4v"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".mkv"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".mov"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".avi"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".webm"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".wmv"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".mpg"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".mpeg"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".ts"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".mts"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".m2ts"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".mp3"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".wav"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".flac"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".m4a"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".aac"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".ogg"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".opus"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#InstalledExe}\SupportedTypes"; ValueType: string; ValueName: ".wma"; ValueData: ""

Root: HKA; Subkey: "Software\Classes\.mp4\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.m4v\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.mkv\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.mov\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.avi\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.webm\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.wmv\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.mpg\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.mpeg\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.ts\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.mts\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.m2ts\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.mp3\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.wav\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.flac\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.m4a\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.aac\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.ogg\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.opus\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.wma\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.Media"; ValueData: ""; Flags: uninsdeletevalue

Root: HKA; Subkey: "Software\Classes\SubtitleStudio.Media"; ValueType: string; ValueData: "{cm:MediaFileType}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\SubtitleStudio.Media\DefaultIcon"; ValueType: string; ValueData: "{app}\subtitle-studio.ico"
Root: HKA; Subkey: "Software\Classes\SubtitleStudio.Media\shell\open\command"; ValueType: string; ValueData: """{app}\{#InstalledExe}"" ""%1"""

; Subtitle files open in Subtitle Studio by double-click (the "associate" task): one ProgID
; per format, each the extension's default. Uninstall removes the ProgIDs and gives the
; extension back (uninsdeletevalue removes the default only while it is still ours).
Root: HKA; Subkey: "Software\Classes\SubtitleStudio.srt"; ValueType: string; ValueData: "{cm:SrtFileType}"; Flags: uninsdeletekey; Tasks: associate
Root: HKA; Subkey: "Software\Classes\SubtitleStudio.srt\DefaultIcon"; ValueType: string; ValueData: "{app}\subtitle-studio.ico"; Tasks: associate
Root: HKA; Subkey: "Software\Classes\SubtitleStudio.srt\shell\open\command"; ValueType: string; ValueData: """{app}\{#InstalledExe}"" ""%1"""; Tasks: associate
Root: HKA; Subkey: "Software\Classes\.srt"; ValueType: string; ValueData: "SubtitleStudio.srt"; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\.srt\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.srt"; ValueData: ""; Flags: uninsdeletevalue; Tasks: associate

Root: HKA; Subkey: "Software\Classes\SubtitleStudio.vtt"; ValueType: string; ValueData: "{cm:VttFileType}"; Flags: uninsdeletekey; Tasks: associate
Root: HKA; Subkey: "Software\Classes\SubtitleStudio.vtt\DefaultIcon"; ValueType: string; ValueData: "{app}\subtitle-studio.ico"; Tasks: associate
Root: HKA; Subkey: "Software\Classes\SubtitleStudio.vtt\shell\open\command"; ValueType: string; ValueData: """{app}\{#InstalledExe}"" ""%1"""; Tasks: associate
Root: HKA; Subkey: "Software\Classes\.vtt"; ValueType: string; ValueData: "SubtitleStudio.vtt"; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\.vtt\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.vtt"; ValueData: ""; Flags: uninsdeletevalue; Tasks: associate

Root: HKA; Subkey: "Software\Classes\SubtitleStudio.ass"; ValueType: string; ValueData: "{cm:AssFileType}"; Flags: uninsdeletekey; Tasks: associate
Root: HKA; Subkey: "Software\Classes\SubtitleStudio.ass\DefaultIcon"; ValueType: string; ValueData: "{app}\subtitle-studio.ico"; Tasks: associate
Root: HKA; Subkey: "Software\Classes\SubtitleStudio.ass\shell\open\command"; ValueType: string; ValueData: """{app}\{#InstalledExe}"" ""%1"""; Tasks: associate
Root: HKA; Subkey: "Software\Classes\.ass"; ValueType: string; ValueData: "SubtitleStudio.ass"; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\.ass\OpenWithProgids"; ValueType: string; ValueName: "SubtitleStudio.ass"; ValueData: ""; Flags: uninsdeletevalue; Tasks: associate

[Run]
Filename: "{app}\{#InstalledExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
{ Uninstall keeps the user's work (jobs, models, settings, logs in %LOCALAPPDATA%\SubtitleStudio)
  unless the user says otherwise: a reinstall, or an upgrade that uninstalls first, finds it
  again. A silent uninstall never deletes it (the question's default answer is No). A home
  folder moved with SUBTITLE_STUDIO_HOME is the user's own choice and is never touched. }

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  DataDir := ExpandConstant('{localappdata}\{#UserDataFolder}');
  if not DirExists(DataDir) then
    Exit;
  if SuppressibleMsgBox(FmtMessage(CustomMessage('RemoveUserData'), [DataDir]),
    mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES then
  begin
    if not DelTree(DataDir, True, True, True) then
      Log('Could not delete all of ' + DataDir);
  end;
end;
