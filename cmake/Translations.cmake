# Message catalogs (src/cli/i18n.h): po/<lang>.po is compiled with msgfmt at build
# time into <build>/locale/<lang>/LC_MESSAGES/rtcal.mo (the tests point
# RTCAL_LOCALEDIR there); cmake/Install.cmake installs them into
# share/locale/<lang>/LC_MESSAGES/rtcal.mo. Languages are picked up from po/.
#   cmake --build build --target rtcal-pot        po/rtcal.pot from the sources (xgettext)
#   cmake --build build --target rtcal-po-update  merge the new template into every po/*.po (msgmerge)
include(GNUInstallDirs)
find_program(RTCAL_MSGFMT msgfmt)
find_program(RTCAL_XGETTEXT xgettext)
find_program(RTCAL_MSGMERGE msgmerge)

# The install's catalog directory, compiled into src/cli/i18n.cc only (outside the
# unity batches, so that the other files' compile lines, and ccache, stay the same).
set_source_files_properties(${CMAKE_SOURCE_DIR}/src/cli/i18n.cc PROPERTIES
  SKIP_UNITY_BUILD_INCLUSION ON
  COMPILE_DEFINITIONS "RTCAL_LOCALEDIR=\"${CMAKE_INSTALL_FULL_LOCALEDIR}\"")

file(GLOB RTCAL_PO_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/po/*.po)
set(RTCAL_MO_FILES "")
if(RTCAL_MSGFMT)
  foreach(po ${RTCAL_PO_FILES})
    get_filename_component(lang ${po} NAME_WE)
    set(mo "${CMAKE_BINARY_DIR}/locale/${lang}/LC_MESSAGES/rtcal.mo")
    add_custom_command(OUTPUT ${mo}
      COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_BINARY_DIR}/locale/${lang}/LC_MESSAGES"
      COMMAND ${RTCAL_MSGFMT} --check -o ${mo} ${po}
      DEPENDS ${po}
      COMMENT "Compiling the ${lang} messages"
      VERBATIM)
    list(APPEND RTCAL_MO_FILES ${mo})
  endforeach()
  add_custom_target(rtcal-translations ALL DEPENDS ${RTCAL_MO_FILES})
else()
  message(WARNING "msgfmt not found (Debian: gettext): rtcal builds without its Korean and Chinese messages")
endif()

if(RTCAL_XGETTEXT AND RTCAL_MSGMERGE)
  set(pot "${CMAKE_SOURCE_DIR}/po/rtcal.pot")
  add_custom_target(rtcal-pot
    COMMAND sh -c "find src -name '*.cc' -o -name '*.h' | LC_ALL=C sort > \"$1\"" rtcal-pot "${CMAKE_BINARY_DIR}/po-files"
    COMMAND ${RTCAL_XGETTEXT} --language=C++ --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=plural:1,2 --keyword=add_subcommand:2 --flag=_:1:no-c-format --flag=N_:1:no-c-format --flag=plural:1:no-c-format --flag=plural:2:no-c-format
            --add-comments=TRANSLATORS: --package-name=rtcal --package-version=${PROJECT_VERSION}
            --msgid-bugs-address=rtcal@example.org --add-location=file --sort-by-file
            --files-from=${CMAKE_BINARY_DIR}/po-files -o ${pot}
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    COMMENT "Extracting the messages into po/rtcal.pot"
    VERBATIM)
  set(merges "")
  foreach(po ${RTCAL_PO_FILES})
    list(APPEND merges COMMAND ${RTCAL_MSGMERGE} --update --backup=none ${po} ${pot})
  endforeach()
  add_custom_target(rtcal-po-update ${merges}
    DEPENDS rtcal-pot
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    COMMENT "Merging po/rtcal.pot into po/*.po"
    VERBATIM)
endif()
